"""FOMO training: cell targets from centroids, augmentation that moves the targets with the
image, and early stopping on the validation images' loss (the best epoch's weights restored)."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import DataError
from microforge.train.fit import TrainParams
from microforge.train.fomo import (
    FomoAugment,
    _augment,
    fomo_targets,
    shift_cells,
    shift_image,
    train_fomo,
)


def test_targets_mark_the_cell_of_each_centroid():
    t = fomo_targets([[(1, 4.0, 4.0), (2, 47.9, 20.0)], []], (6, 6), 8)
    assert t.shape == (2, 6, 6) and t[0, 0, 0] == 1 and t[0, 2, 5] == 2
    assert t[0].sum() == 3 and t[1].sum() == 0


def test_shifts_move_image_and_cells_together():
    targets = fomo_targets([[(1, 12.0, 20.0)]], (6, 6), 8)[0]  # cell (row 2, col 1)
    image = np.zeros((48, 48, 1), np.float32)
    image[16:24, 8:16] = 1.0  # the object fills that cell
    for dy, dx in ((1, 0), (-2, 1), (0, -1), (6, 0)):
        moved, cells = shift_image(image, 8 * dy, 8 * dx), shift_cells(targets, dy, dx)
        if dy == 6:  # shifted out entirely: background, the image's mean
            assert cells.sum() == 0 and np.allclose(moved, image.mean())
            continue
        row, col = 2 + dy, 1 + dx
        assert cells[row, col] == 1 and cells.sum() == 1
        assert moved[8 * row:8 * row + 8, 8 * col:8 * col + 8].min() == 1.0


def test_augmented_batches_keep_every_object_on_its_cell():
    rng = np.random.default_rng(0)
    truth = [[(1, 8.0 * c + 4, 8.0 * r + 4)] for r, c in rng.integers(0, 6, (32, 2))]
    y = fomo_targets(truth, (6, 6), 8)
    x = np.zeros((32, 48, 48, 1), np.float32)
    for i, ((_, cx, cy),) in enumerate(truth):
        x[i, int(cy) - 4:int(cy) + 4, int(cx) - 4:int(cx) + 4] = 1.0
    xa, ya = _augment(x.copy(), y.copy(), FomoAugment(brightness=0.0), rng)
    for img, cells in zip(xa, ya, strict=True):
        for row, col in zip(*np.nonzero(cells), strict=True):
            assert img[8 * row:8 * row + 8, 8 * col:8 * col + 8].min() == 1.0
        # every bright cell carries its target (none copied without one)
        bright = img.reshape(6, 8, 6, 8).min(axis=(1, 3)) == 1.0
        assert np.array_equal(bright, cells > 0)


def _shapes(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n 48x48 images with one bright 8x8 square each at a random cell, and its targets."""
    rng = np.random.default_rng(seed)
    cells = rng.integers(0, 6, (n, 2))
    x = rng.uniform(0, 0.2, (n, 48, 48, 1)).astype(np.float32)
    for i, (r, c) in enumerate(cells):
        x[i, 8 * r:8 * r + 8, 8 * c:8 * c + 8] = 0.9
    return x, fomo_targets([[(1, 8.0 * c + 4, 8.0 * r + 4)] for r, c in cells], (6, 6), 8)


def _fomo(seed: int = 0):
    from microforge.train.zoo import build_model

    return build_model("fomo", (48, 48, 1), 2, width=0.25, dropout=0.0, seed=seed)


@pytest.mark.slow
def test_validation_loss_is_watched_and_the_best_epoch_restored(tf):
    """With validation images: val_loss per epoch, and the model ends with the weights of the
    epoch of the lowest val_loss (its loss measured again equals that epoch's)."""
    x, y = _shapes(48, 0)
    xv, yv = _shapes(16, 1)
    model = _fomo()
    params = TrainParams(epochs=8, batch_size=16, learning_rate=0.05, early_stopping_patience=3)
    result = train_fomo(model, x, y, params, augment=None, x_val=xv, targets_val=yv)
    val = result.history["val_loss"]
    assert len(val) == len(result.history["loss"]) == result.epochs_run
    assert result.best_epoch == int(np.argmin(val)) + 1
    weight = np.where(yv > 0, 10.0, 1.0).astype(np.float32)
    again = float(model.evaluate(xv, yv, sample_weight=weight, batch_size=16, verbose=0))
    assert again == pytest.approx(val[result.best_epoch - 1], rel=1e-4)
    if result.best_epoch < result.epochs_run:  # restored: not the last epoch's weights
        assert again < val[-1]


@pytest.mark.slow
def test_early_stopping_on_validation_images_that_disagree(tf):
    """Validation targets unrelated to their images: the validation loss stops improving while
    the training loss falls, and training stops `patience` epochs after its best epoch."""
    x, y = _shapes(48, 0)
    xv, _ = _shapes(16, 1)
    _, wrong = _shapes(16, 2)  # other cells than the squares
    params = TrainParams(epochs=40, batch_size=16, learning_rate=0.05, early_stopping_patience=2)
    result = train_fomo(_fomo(), x, y, params, augment=None, x_val=xv, targets_val=wrong)
    assert result.epochs_run < 40
    assert result.epochs_run == result.best_epoch + 2
    assert result.history["loss"][-1] < result.history["loss"][0]


@pytest.mark.slow
def test_without_validation_the_training_loss_is_watched(tf):
    x, y = _shapes(32, 0)
    params = TrainParams(epochs=3, batch_size=16, learning_rate=0.05, early_stopping_patience=0)
    result = train_fomo(_fomo(), x, y, params, augment=None)
    assert "val_loss" not in result.history
    assert result.epochs_run == result.best_epoch == 3  # patience 0: every epoch, the last kept


def test_validation_targets_must_match_the_grid(tf):
    x, y = _shapes(4, 0)
    with pytest.raises(DataError, match="fomo validation: the model's grid"):
        train_fomo(_fomo(), x, y, TrainParams(epochs=1), x_val=x, targets_val=y[:, :3, :3])
