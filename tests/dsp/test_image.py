from __future__ import annotations

import json

import numpy as np
import pytest

from microforge.dsp import block_from_state, make_block
from microforge.errors import ConfigError, DataError
from tests.data.images import digits_folder


def _images(n=4, h=12, w=16, c=3, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, h, w, c)).astype(np.float32)


def test_shapes_colour_and_normalisation():
    x = _images()
    gray = make_block("image", {"width": 8, "height": 8}).fit(x)
    out = gray.transform(x)
    assert out.shape == (4, 8, 8, 1) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    rgb = make_block("image", {"width": 8, "height": 6, "color": "rgb", "normalize": "signed"})
    out = rgb.fit(x).transform(x)
    assert out.shape == (4, 6, 8, 3) and out.min() >= -1.0 and out.max() <= 1.0
    raw = make_block("image", {"width": 16, "height": 12, "color": "rgb", "normalize": "raw",
                               "fit": "stretch"}).fit(x)
    np.testing.assert_array_equal(raw.transform(x), x)  # same size, raw: the pixels


def test_flat_windows_are_accepted_and_state_round_trips():
    x = _images(c=1)
    block = make_block("image", {"width": 10, "height": 5, "fit": "letterbox"}).fit(x)
    np.testing.assert_array_equal(block.transform(x.reshape(4, -1, 1)), block.transform(x))
    restored = block_from_state(json.loads(json.dumps(block.state_dict())))
    np.testing.assert_array_equal(restored.transform(x), block.transform(x))
    assert restored.frame_shape() == (12, 16, 1)


def test_real_digits_keep_their_class_structure(tmp_path):
    from microforge.data import DatasetSpec, load_dataset, make_windows
    from microforge.data.windowing import WindowSpec

    dataset = load_dataset(DatasetSpec(digits_folder(tmp_path, per_class=10, classes=(0, 1))))
    windows = make_windows(dataset, WindowSpec(1000, 1000))
    out = make_block("image", {"width": 32, "height": 32}).fit(windows.x).transform(windows.x)
    means = [out[windows.y == k].mean(axis=0) for k in (0, 1)]
    # a zero has ink around a hole, a one in a central stroke
    assert means[0][16, 6, 0] > means[1][16, 6, 0]


def test_errors_are_one_line():
    with pytest.raises(ConfigError, match=r"dsp\.params\.width: must be 1\.\.4096"):
        make_block("image", {"width": 0})
    with pytest.raises(ConfigError, match=r"dsp\.params\.color"):
        make_block("image", {"color": "hsv"})
    block = make_block("image")
    with pytest.raises(DataError, match="windows must be images"):
        block.fit(np.zeros((2, 10, 3), np.float32), 100.0)
    block.fit(_images())
    with pytest.raises(DataError, match=r"fitted on 12x16x3"):
        block.transform(_images(h=10))
    with pytest.raises(DataError, match="1 \\(gray\\) or 3 \\(RGB\\) channels"):
        make_block("image").fit(_images(c=2))
    with pytest.raises(ConfigError, match="yuyv needs an even frame width"):
        make_block("image", {"frame_format": "yuyv"}).fit(_images(w=15))


@pytest.mark.parametrize("fit", ["stretch", "crop", "letterbox"])
def test_input_point_follows_the_resampled_content(fit):
    """A bright 2x2 square of a 12x16 frame lands where input_point maps its centre."""
    frame = np.zeros((1, 12, 16, 1), np.float32)
    frame[0, 6:8, 9:11] = 255.0  # centre (10, 7) in frame pixels (pixel edges)
    block = make_block("image", {"width": 8, "height": 8, "fit": fit}).fit(frame)
    x, y = block.input_point(10.0, 7.0)
    out = block.pixels(frame)[0, :, :, 0].astype(float)
    yy, xx = np.mgrid[0:8, 0:8] + 0.5  # pixel centres of the output
    cx, cy = (out * xx).sum() / out.sum(), (out * yy).sum() / out.sum()
    assert abs(cx - x) < 0.5 and abs(cy - y) < 0.5
    expected = {"stretch": (5.0, 7 * 8 / 12), "crop": ((10 - 2) * 8 / 12, 7 * 8 / 12),
                "letterbox": (5.0, 1 + 7 * 6 / 12)}[fit]
    assert (x, y) == pytest.approx(expected)
    if fit == "crop":  # the crop keeps columns 2..14: a point at x = 1 is cut away
        assert block.input_point(1.0, 5.0) is None
