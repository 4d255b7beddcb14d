"""FOMO training helpers: cell targets from centroids, and augmentation that moves the targets
with the image."""

from __future__ import annotations

import numpy as np

from microforge.train.fomo import FomoAugment, _augment, fomo_targets, shift_cells, shift_image


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
