from __future__ import annotations

import numpy as np

from microforge.train.image_augment import ImageAugmenter, ImageAugmentParams


def test_flip_only_mirrors():
    x = np.arange(2 * 4 * 6, dtype=np.float32).reshape(2, 4, 6, 1)
    out = ImageAugmenter(ImageAugmentParams(flip=True, shift=0, brightness=0))(
        x, np.random.default_rng(0))
    for a, b in zip(out, x, strict=True):
        assert np.array_equal(a, b) or np.array_equal(a, b[:, ::-1])


def test_shift_and_brightness_keep_shape_and_range():
    x = np.random.default_rng(1).integers(0, 256, (8, 10, 12, 3)).astype(np.float32)
    out = ImageAugmenter()(x, np.random.default_rng(2))
    assert out.shape == x.shape and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 255
    assert not np.array_equal(out, x)


def test_shift_moves_content_by_whole_pixels():
    x = np.zeros((1, 10, 10, 1), np.float32)
    x[0, 5, 5] = 255
    out = ImageAugmenter(ImageAugmentParams(flip=False, shift=0.2, brightness=0))(
        x, np.random.default_rng(3))
    y, xx = np.argwhere(out[0, :, :, 0] == 255)[0]
    assert abs(y - 5) <= 2 and abs(xx - 5) <= 2
