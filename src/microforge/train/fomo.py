"""Training a FOMO-style detector: per-cell class targets from centroids, a cross-entropy
weighted towards object cells (objects are few among background cells), augmentation of
images and targets together (horizontal flip, a shift by whole cells, brightness), and early
stopping as the classifier's training (train/fit.py): on the validation images' loss when
there are any (the split's `val` part, by group), else on the training loss; the best
epoch's weights are restored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from microforge.errors import DataError
from microforge.train.detect_metrics import Points
from microforge.train.fit import TrainParams, TrainResult

OBJECT_WEIGHT = 10.0  # loss weight of an object cell relative to a background cell


@dataclass(frozen=True)
class FomoAugment:
    flip: bool = True  # horizontal flip (targets flipped with the image)
    brightness: float = 0.2  # features scaled by 1 +- brightness
    # shift (a moved crop) by whole cells, up to this fraction of the grid (at least one cell
    # when > 0): the targets move with the image; vacated pixels take the image's mean,
    # vacated cells are background
    shift: float = 0.1


def object_centroids(recordings: Sequence[Any], classes: Sequence[str],
                     block: Any) -> list[Points]:
    """Per detection image (data.recording.Recording with `objects`): its objects as (class
    index, centroid x, y) in the model's input pixels, through the image block's
    crop/letterbox/stretch (`input_point`); objects the crop cuts away are left out."""
    classes = list(classes)
    out: list[Points] = []
    for rec in recordings:
        points = []
        for o in rec.objects or ():
            at = block.input_point(*o.centroid)
            if at is not None:
                points.append((classes.index(o.label), float(at[0]), float(at[1])))
        out.append(points)
    return out


def fomo_targets(objects: Sequence[Points], grid: tuple[int, int], cell: int) -> np.ndarray:
    """int32 (n, grid h, grid w): the class of the object whose centroid is in the cell, 0
    (background) elsewhere; centroids in input pixels."""
    h, w = grid
    out = np.zeros((len(objects), h, w), np.int32)
    for i, image in enumerate(objects):
        for label, x, y in image:
            row, col = min(int(y // cell), h - 1), min(int(x // cell), w - 1)
            if row >= 0 and col >= 0:
                out[i, row, col] = int(label)
    return out


def train_fomo(model, x: np.ndarray, targets: np.ndarray, params: TrainParams | None = None,
               augment: FomoAugment | None = FomoAugment(),
               object_weight: float = OBJECT_WEIGHT, x_val: np.ndarray | None = None,
               targets_val: np.ndarray | None = None) -> TrainResult:
    """Fit the heatmap model on features `x` (n, H, W, C) and cell targets (n, h, w).

    With validation images (`x_val`, `targets_val`) each epoch ends with their loss (the same
    object-weighted cross-entropy, no augmentation): history["val_loss"]. Early stopping
    (`params.early_stopping_patience` > 0) watches it, or the training loss without
    validation images, and the weights of the best epoch are restored (`best_epoch`)."""
    import keras

    params = params or TrainParams()
    _check_targets(model, x, targets, "training")
    has_val = x_val is not None and targets_val is not None and len(x_val) > 0
    if x_val is not None and targets_val is not None and has_val:
        _check_targets(model, x_val, targets_val, "validation")
        x_val = np.asarray(x_val, np.float32)
        weight_val = np.where(targets_val > 0, object_weight, 1.0).astype(np.float32)
    keras.utils.set_random_seed(params.seed)
    model.compile(optimizer=keras.optimizers.Adam(params.learning_rate),
                  loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(params.seed)
    x = np.asarray(x, np.float32)
    history: dict[str, list[float]] = {"loss": []}
    if has_val:
        history["val_loss"] = []
    watched = history["val_loss" if has_val else "loss"]
    best_loss, best_epoch, best_weights = float("inf"), 0, None
    batch = params.batch_size
    for epoch in range(1, params.epochs + 1):
        order = rng.permutation(len(x))
        losses = []
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            xb, yb = x[idx].copy(), targets[idx].copy()
            if augment is not None:
                xb, yb = _augment(xb, yb, augment, rng)
            weight = np.where(yb > 0, object_weight, 1.0).astype(np.float32)
            losses.append(float(model.train_on_batch(xb, yb, sample_weight=weight)))
        history["loss"].append(float(np.mean(losses)))
        if has_val:
            history["val_loss"].append(float(model.evaluate(
                x_val, targets_val, sample_weight=weight_val, batch_size=batch, verbose=0)))
        if params.early_stopping_patience <= 0:
            continue
        if watched[-1] < best_loss:
            best_loss, best_epoch, best_weights = watched[-1], epoch, model.get_weights()
        elif epoch - best_epoch >= params.early_stopping_patience:
            break
    epochs_run = len(history["loss"])
    if best_weights is not None and best_epoch != epochs_run:
        model.set_weights(best_weights)
    return TrainResult(history=history, epochs_run=epochs_run,
                       best_epoch=best_epoch if best_weights is not None else epochs_run)


def _check_targets(model, x: np.ndarray, targets: np.ndarray, split: str) -> None:
    if len(x) != len(targets) or len(x) == 0:
        raise DataError(f"fomo {split}: {len(x)} images but {len(targets)} targets")
    if tuple(model.output_shape[1:3]) != tuple(targets.shape[1:]):
        raise DataError(f"fomo {split}: the model's grid is {model.output_shape[1:3]} but the "
                        f"targets are {targets.shape[1:]}")


def _augment(x: np.ndarray, y: np.ndarray, p: FomoAugment,
             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    if p.flip:
        flip = rng.random(len(x)) < 0.5
        x[flip] = x[flip][:, :, ::-1]
        y[flip] = y[flip][:, :, ::-1]
    if p.shift > 0:
        grid_h, grid_w = y.shape[1:]
        cell = x.shape[1] // grid_h
        for i in range(len(x)):
            dy, dx = (int(rng.integers(-m, m + 1)) for m in
                      (max(1, round(p.shift * grid_h)), max(1, round(p.shift * grid_w))))
            x[i] = shift_image(x[i], dy * cell, dx * cell)
            y[i] = shift_cells(y[i], dy, dx)
    if p.brightness > 0:
        gain = rng.uniform(1 - p.brightness, 1 + p.brightness, (len(x), 1, 1, 1))
        x = (x * gain).astype(np.float32)
    return x, y


def shift_cells(targets: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """(h, w) cell targets moved by (dy, dx) cells; vacated cells are background (0)."""
    h, w = targets.shape
    out = np.zeros_like(targets)
    if abs(dy) < h and abs(dx) < w:
        out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            targets[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def shift_image(image: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """(H, W, C) features moved by (dy, dx) pixels; vacated pixels take the image's mean (no
    repeated edge: an object there would be copied without its target)."""
    h, w = image.shape[:2]
    out = np.full_like(image, image.mean())
    if abs(dy) < h and abs(dx) < w:
        out[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            image[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out
