"""Window-level augmentation for training: motion gain, noise, time shift, sensor rotation.

Applied to raw windows (before the DSP block), fresh for every batch, so the model sees the
variation a deployed sensor produces: a different gain, noise, a window cut at another instant,
and, for IMU data, a sensor mounted at a slightly different angle. The rotation acts on each
group of three channels named `<sensor>_x/_y/_z` (or `x, y, z`) together, which is what a
tilted accelerometer or gyroscope produces. On UCI HAR the rotation is what lifts
cross-subject accuracy (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from microforge.schema import bounded, check_bounds


@dataclass(frozen=True)
class AugmentParams:
    """Window augmentation, used when training.augment is true ([training.augmentation])."""

    # per-channel gain of the motion (deviation from the window mean)
    scale: float = bounded(0.1, ge=0, lt=1)
    # Gaussian noise, as a fraction of each channel's std on train
    noise: float = bounded(0.02, ge=0, lt=1)
    shift: float = bounded(0.125, ge=0, lt=1)  # circular time shift, as a fraction of the window
    # per-axis rotation of 3-axis sensor groups (0: off)
    rotate_degrees: float = bounded(10.0, ge=0, le=90)

    def __post_init__(self) -> None:
        check_bounds(self, "training.augmentation")


def axis_triplets(channel_names: tuple[str, ...]) -> list[tuple[int, int, int]]:
    """Indices of channel groups that form a 3-axis sensor: ..._x, ..._y, ..._z."""
    lower = [name.lower() for name in channel_names]
    triplets = []
    for i, name in enumerate(lower):
        if name == "x" or name.endswith("_x") or name.endswith(".x"):
            stem = name[:-1]
            try:
                triplets.append((i, lower.index(stem + "y"), lower.index(stem + "z")))
            except ValueError:
                continue
    return triplets


class WindowAugmenter:
    """Callable (windows, rng) -> augmented windows of the same shape and dtype."""

    def __init__(
        self, params: AugmentParams, channel_names: tuple[str, ...], channel_std: np.ndarray
    ) -> None:
        self.params = params
        self.triplets = axis_triplets(channel_names) if params.rotate_degrees > 0 else []
        self.channel_std = np.asarray(channel_std, dtype=np.float32)

    def __call__(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        p = self.params
        n, length, channels = x.shape
        out = x.astype(np.float32, copy=True)
        for a, b, c in self.triplets:
            rot = random_rotations(n, p.rotate_degrees, rng)
            out[:, :, [a, b, c]] = np.einsum("nij,ntj->nti", rot, out[:, :, [a, b, c]])
        if p.scale > 0:
            # Scale the motion, not the offset: a window's mean (gravity, DC) carries the
            # sensor's orientation, which a gain change must not distort.
            mean = out.mean(axis=1, keepdims=True)
            gain = rng.uniform(1 - p.scale, 1 + p.scale, size=(n, 1, channels)).astype(np.float32)
            out = mean + (out - mean) * gain
        if p.noise > 0:
            out += (rng.standard_normal(out.shape) * (p.noise * self.channel_std)).astype(
                np.float32
            )
        if p.shift > 0:
            max_shift = int(p.shift * length)
            shifts = np.asarray(rng.integers(-max_shift, max_shift + 1, size=n))
            index = (np.arange(length)[None, :] - shifts[:, None]) % length
            out = np.take_along_axis(out, index[:, :, None], axis=1)
        return out


def random_rotations(n: int, max_degrees: float, rng: np.random.Generator) -> np.ndarray:
    """n rotation matrices, each a product of rotations about x, y, z by up to max_degrees."""
    angles = np.deg2rad(rng.uniform(-max_degrees, max_degrees, size=(n, 3)))
    cos, sin = np.cos(angles), np.sin(angles)
    one, zero = np.ones(n), np.zeros(n)
    rx = np.stack([one, zero, zero, zero, cos[:, 0], -sin[:, 0], zero, sin[:, 0], cos[:, 0]], 1)
    ry = np.stack([cos[:, 1], zero, sin[:, 1], zero, one, zero, -sin[:, 1], zero, cos[:, 1]], 1)
    rz = np.stack([cos[:, 2], -sin[:, 2], zero, sin[:, 2], cos[:, 2], zero, zero, zero, one], 1)
    rot = rz.reshape(n, 3, 3) @ ry.reshape(n, 3, 3) @ rx.reshape(n, 3, 3)
    return rot.astype(np.float32)


BatchTransform = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def batches(x, y, sample_weight, batch_size: int, transform: BatchTransform, seed: int):
    """A keras.utils.PyDataset of shuffled (transform(x_batch), y, sample_weight) batches.

    `transform` runs fresh on every batch (e.g. augment raw windows, then the DSP block), so
    `x` may be raw windows while the model sees features.
    """
    import keras

    class _Transformed(keras.utils.PyDataset):
        def __init__(self) -> None:
            super().__init__(workers=1, use_multiprocessing=False)
            self.rng = np.random.default_rng(seed)
            self.order = self.rng.permutation(len(x))

        def __len__(self) -> int:
            return int(np.ceil(len(x) / batch_size))

        def __getitem__(self, index: int):
            idx = self.order[index * batch_size : (index + 1) * batch_size]
            return transform(x[idx], self.rng), y[idx], sample_weight[idx]

        def on_epoch_end(self) -> None:
            self.order = self.rng.permutation(len(x))

    return _Transformed()
