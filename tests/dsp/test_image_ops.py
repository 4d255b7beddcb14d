"""The integer image operations against independent float references."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from microforge.dsp.image_ops import axis_table, decode_frame, resample, rgb_to_gray
from microforge.errors import DataError


def _float_bilinear(src: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    """Half-pixel-centred bilinear in float64 (the definition the Q8 tables approximate)."""
    h, w = src.shape
    ys = np.clip((np.arange(out_h) + 0.5) * h / out_h - 0.5, 0, h - 1)
    xs = np.clip((np.arange(out_w) + 0.5) * w / out_w - 0.5, 0, w - 1)
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    y1, x1 = np.minimum(y0 + 1, h - 1), np.minimum(x0 + 1, w - 1)
    wy, wx = (ys - y0)[:, None], (xs - x0)[None, :]
    s = src.astype(np.float64)
    top = s[y0][:, x0] * (1 - wx) + s[y0][:, x1] * wx
    bottom = s[y1][:, x0] * (1 - wx) + s[y1][:, x1] * wx
    return top * (1 - wy) + bottom * wy


def _run(src: np.ndarray, out_h: int, out_w: int, fit: str = "stretch",
         method: str = "bilinear") -> np.ndarray:
    h, w = src.shape[:2]
    cols = axis_table(w, out_w, h, out_h, fit, method)
    rows = axis_table(h, out_h, w, out_w, fit, method)
    return resample(src.reshape(1, h, w, -1), cols, rows)[0]


@pytest.mark.parametrize(("h", "w", "oh", "ow"), [(32, 32, 32, 32), (48, 64, 24, 20),
                                                   (10, 12, 37, 41), (96, 96, 96, 48)])
def test_bilinear_close_to_float(h, w, oh, ow):
    # positions truncated to 1/256 pixel: < 255/256 of a level per axis on the sharpest edge
    # (noise), plus 0.5 for the rounding
    src = np.random.default_rng(h * w).integers(0, 256, (h, w)).astype(np.uint8)
    got = _run(src, oh, ow)[..., 0].astype(np.int32)
    ref = _float_bilinear(src, oh, ow)
    assert np.abs(got - ref).max() <= 2.0 and np.abs(got - ref).mean() < 0.5
    if (h, w) == (oh, ow):
        np.testing.assert_array_equal(got, src)  # same size: identity


def test_nearest_picks_source_pixels():
    src = np.arange(64, dtype=np.uint8).reshape(8, 8)
    np.testing.assert_array_equal(_run(src, 4, 4, method="nearest")[..., 0], src[1::2, 1::2])


def test_crop_takes_the_centre_and_letterbox_pads():
    src = np.zeros((10, 20), np.uint8)
    src[:, 5:15] = 200  # the centre square is bright
    crop = _run(src, 10, 10, "crop", "nearest")[..., 0]
    assert (crop == 200).all()
    box = _run(src, 20, 20, "letterbox", "nearest")[..., 0]
    assert (box[:5] == 0).all() and (box[15:] == 0).all()  # padded rows
    np.testing.assert_array_equal(box[5:15], np.kron(src, np.ones((1, 1), np.uint8))[:, ::1])


def test_gray_is_bt601_within_one_level_of_pillow():
    rgb = np.random.default_rng(1).integers(0, 256, (40, 40, 3)).astype(np.uint8)
    ref = np.asarray(Image.fromarray(rgb).convert("L"), np.int32)
    assert np.abs(rgb_to_gray(rgb)[..., 0].astype(np.int32) - ref).max() <= 1


def test_rgb565_decodes_the_bits():
    rgb = np.random.default_rng(2).integers(0, 256, (6, 8, 3)).astype(np.int32)
    v = ((rgb[..., 0] >> 3) << 11) | ((rgb[..., 1] >> 2) << 5) | (rgb[..., 2] >> 3)
    le = np.stack([v & 255, v >> 8], axis=-1).astype(np.uint8).tobytes()
    be = np.stack([v >> 8, v & 255], axis=-1).astype(np.uint8).tobytes()
    got = decode_frame(le, "rgb565", 8, 6, gray=False).astype(np.int32)
    np.testing.assert_array_equal(got, decode_frame(be, "rgb565be", 8, 6, gray=False))
    assert np.abs(got - rgb).max() <= 7  # 5/6-bit channels
    np.testing.assert_array_equal(got >> 3, rgb >> 3)


def test_yuyv_against_float_bt601():
    rng = np.random.default_rng(3)
    y = rng.integers(16, 235, (4, 8))
    u, v = rng.integers(64, 192, (4, 4)), rng.integers(64, 192, (4, 4))
    frame = np.stack([y[:, 0::2], u, y[:, 1::2], v], axis=-1).astype(np.uint8).tobytes()
    got = decode_frame(frame, "yuyv", 8, 4, gray=False).astype(np.float64)
    uu, vv = np.repeat(u, 2, axis=1) - 128.0, np.repeat(v, 2, axis=1) - 128.0
    ref = np.stack([y + 1.402 * vv, y - 0.344136 * uu - 0.714136 * vv, y + 1.772 * uu], -1)
    assert np.abs(got - np.clip(ref, 0, 255)).max() <= 1.5
    np.testing.assert_array_equal(decode_frame(frame, "yuyv", 8, 4, gray=True)[..., 0], y)


def test_wrong_frame_size_and_odd_yuyv_width():
    with pytest.raises(DataError, match=r"rgb565 frame of 4x4 needs 32 bytes, got 31"):
        decode_frame(bytes(31), "rgb565", 4, 4, gray=False)
    with pytest.raises(DataError, match="even width"):
        decode_frame(bytes(6), "yuyv", 3, 1, gray=False)


@pytest.mark.parametrize("fmt", ["rgb888", "rgb565", "rgb565be", "yuyv", "grayscale"])
def test_encoded_frames_decode_back_within_the_format_precision(fmt):
    from microforge.dsp.image_ops import encode_frame

    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, size=(6, 8, 3)).astype(np.uint8)
    gray = fmt == "grayscale"
    back = decode_frame(encode_frame(pixels, fmt), fmt, 8, 6, gray)
    want = rgb_to_gray(pixels) if gray else pixels
    diff = np.abs(back.astype(int) - want.astype(int))
    # exact for rgb888/grayscale; RGB565 drops 3/2/3 bits (bit replication back);
    # YUYV shares the chroma of a pixel pair, so a pair of unlike pixels differs more
    limit = {"rgb888": 0, "grayscale": 0, "rgb565": 7, "rgb565be": 7, "yuyv": 255}[fmt]
    assert diff.max() <= limit
    if fmt == "yuyv":  # equal neighbours: only the Q8 conversion rounds
        flat = np.repeat(pixels[:, ::2], 2, axis=1)
        back = decode_frame(encode_frame(flat, fmt), fmt, 8, 6, False)
        assert np.abs(back.astype(int) - flat.astype(int)).max() <= 3


def test_encode_frame_errors_are_one_line():
    from microforge.dsp.image_ops import encode_frame

    with pytest.raises(DataError, match="frame format"):
        encode_frame(np.zeros((2, 2, 3), np.uint8), "bayer")
    with pytest.raises(DataError, match="even width"):
        encode_frame(np.zeros((2, 3, 3), np.uint8), "yuyv")
    with pytest.raises(DataError, match="height, width"):
        encode_frame(np.zeros((2, 3), np.uint8), "rgb888")
