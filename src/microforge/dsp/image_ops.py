"""The integer image operations the image block and its C share (runtime/dsp/mf_dsp_image.c):
camera frame decoding (RGB888, RGB565, YUYV, grayscale), RGB -> gray, and resampling by
per-column / per-row tables (nearest or bilinear in Q8, crop / letterbox / stretch).

Every function here is integer arithmetic that the C repeats operation for operation, so the
uint8 pixels are bit-exact between Python and C.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import DataError

FRAME_FORMATS = ("rgb888", "rgb565", "rgb565be", "yuyv", "grayscale")
FORMAT_CODES = {name: i for i, name in enumerate(FRAME_FORMATS)}  # mirrors MF_IMG_* in C
BYTES_PER_PIXEL = {"rgb888": 3, "rgb565": 2, "rgb565be": 2, "yuyv": 2, "grayscale": 1}
GRAY_WEIGHTS = (77, 150, 29)  # BT.601 luma in Q8: (77 R + 150 G + 29 B + 128) >> 8


def frame_bytes(fmt: str, width: int, height: int) -> int:
    return BYTES_PER_PIXEL[fmt] * width * height


def rgb_to_gray(pixels: np.ndarray) -> np.ndarray:
    """uint8 (..., 3) -> uint8 (..., 1)."""
    p = pixels.astype(np.int32)
    r, g, b = GRAY_WEIGHTS
    gray = (r * p[..., 0] + g * p[..., 1] + b * p[..., 2] + 128) >> 8
    return gray.astype(np.uint8)[..., None]


def decode_frame(frame: bytes | np.ndarray, fmt: str, width: int, height: int,
                 gray: bool) -> np.ndarray:
    """A camera frame -> uint8 (height, width, 1 if gray else 3), as the C decodes it.
    YUYV to gray takes the luma (Y) itself; grayscale to RGB replicates it."""
    if fmt not in FRAME_FORMATS:
        raise DataError(f"frame format {fmt!r}; one of {', '.join(FRAME_FORMATS)}")
    raw = np.frombuffer(bytes(frame), dtype=np.uint8) if not isinstance(frame, np.ndarray) \
        else frame.reshape(-1).astype(np.uint8)
    if raw.size != frame_bytes(fmt, width, height):
        raise DataError(f"{fmt} frame of {width}x{height} needs "
                        f"{frame_bytes(fmt, width, height)} bytes, got {raw.size}")
    if fmt == "grayscale":
        luma: np.ndarray = raw.reshape(height, width, 1)
        return luma if gray else np.repeat(luma, 3, axis=2)
    if fmt == "rgb888":
        rgb = raw.reshape(height, width, 3)
    elif fmt in ("rgb565", "rgb565be"):
        b2 = raw.reshape(height, width, 2).astype(np.int32)
        v = (b2[..., 0] | (b2[..., 1] << 8)) if fmt == "rgb565" else ((b2[..., 0] << 8) | b2[..., 1])
        r5, g6, b5 = (v >> 11) & 31, (v >> 5) & 63, v & 31
        rgb = np.stack([(r5 << 3) | (r5 >> 2), (g6 << 2) | (g6 >> 4), (b5 << 3) | (b5 >> 2)],
                       axis=-1).astype(np.uint8)
    else:  # yuyv: Y0 U Y1 V per two pixels
        if width % 2:
            raise DataError(f"yuyv frames need an even width (got {width})")
        q: np.ndarray = raw.reshape(height, width // 2, 4).astype(np.int32)
        y = np.stack([q[..., 0], q[..., 2]], axis=-1).reshape(height, width)
        if gray:
            return y.astype(np.uint8)[..., None]
        u = np.repeat(q[..., 1], 2, axis=1) - 128
        v = np.repeat(q[..., 3], 2, axis=1) - 128
        rgb = np.stack(yuv_to_rgb(y, u, v), axis=-1).astype(np.uint8)
    return rgb_to_gray(rgb) if gray else rgb


def yuv_to_rgb(y: np.ndarray, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, ...]:
    """Full-range BT.601 in Q8 (u, v centred on 0); the 65536 bias keeps every shift of a
    non-negative number (C's >> of a negative int is implementation-defined)."""
    r = y + ((359 * v + 128 + 65536) >> 8) - 256
    g = y - ((88 * u + 183 * v + 128 + 65536) >> 8) + 256
    b = y + ((454 * u + 128 + 65536) >> 8) - 256
    return tuple(np.clip(c, 0, 255) for c in (r, g, b))


def encode_frame(pixels: np.ndarray, fmt: str) -> bytes:
    """uint8 (height, width, 1 or 3) -> the bytes a camera would deliver in `fmt` (what verify
    streams from test images): RGB565 truncates to 5/6/5 bits (little- or big-endian), YUYV
    is BT.601 full range with each pixel pair's chroma averaged, grayscale takes the Q8 luma.
    Lossy for rgb565/yuyv; decode_frame reads it back."""
    if fmt not in FRAME_FORMATS:
        raise DataError(f"frame format {fmt!r}; one of {', '.join(FRAME_FORMATS)}")
    p = np.asarray(pixels)
    if p.ndim != 3 or p.shape[-1] not in (1, 3):
        raise DataError(f"an image is (height, width, 1 or 3) pixels, got shape {p.shape}")
    p = p.astype(np.uint8)
    if fmt == "grayscale":
        return (p if p.shape[-1] == 1 else rgb_to_gray(p)).tobytes()
    rgb = np.repeat(p, 3, axis=-1) if p.shape[-1] == 1 else p
    if fmt == "rgb888":
        return rgb.tobytes()
    c = rgb.astype(np.int32)
    if fmt in ("rgb565", "rgb565be"):
        v = ((c[..., 0] >> 3) << 11) | ((c[..., 1] >> 2) << 5) | (c[..., 2] >> 3)
        lo, hi = v & 255, v >> 8
        pair = (lo, hi) if fmt == "rgb565" else (hi, lo)
        return np.stack(pair, axis=-1).astype(np.uint8).tobytes()
    if rgb.shape[1] % 2:
        raise DataError(f"yuyv frames need an even width (got {rgb.shape[1]})")
    f = c.astype(np.float64)
    y = 0.299 * f[..., 0] + 0.587 * f[..., 1] + 0.114 * f[..., 2]
    u = (f[..., 2] - y) * 0.564 + 128
    v2 = (f[..., 0] - y) * 0.713 + 128
    out = np.stack([y[:, 0::2], (u[:, 0::2] + u[:, 1::2]) / 2, y[:, 1::2],
                    (v2[:, 0::2] + v2[:, 1::2]) / 2], axis=-1)
    return np.clip(np.round(out), 0, 255).astype(np.uint8).tobytes()


@dataclass(frozen=True)
class AxisTable:
    """Per output index: first and second source index (-1: padding) and the Q8 weight of the
    second."""

    i0: np.ndarray  # int32
    i1: np.ndarray  # int32
    w: np.ndarray  # int32 in 0..255


def fit_regions(src: int, dst: int, src_other: int, dst_other: int,
                fit: str) -> tuple[int, int, int, int]:
    """(source start, source length, destination start, destination length) along one axis,
    given the other axis' source and destination sizes."""
    if fit == "stretch":
        return 0, src, 0, dst
    # compare aspect ratios as integers: src / src_other vs dst / dst_other
    wider = src * dst_other > dst * src_other  # the source is longer on this axis
    if fit == "crop":
        if wider:
            length = max(1, (src_other * dst + dst_other // 2) // dst_other)
            return (src - length) // 2, length, 0, dst
        return 0, src, 0, dst
    if fit == "letterbox":
        if not wider and src * dst_other < dst * src_other:
            length = max(1, (dst_other * src + src_other // 2) // src_other)
            return 0, src, (dst - length) // 2, length
        return 0, src, 0, dst
    raise ValueError(f"fit {fit!r}")


def axis_table(src: int, dst: int, src_other: int, dst_other: int, fit: str,
               method: str) -> AxisTable:
    s0, sl, d0, dl = fit_regions(src, dst, src_other, dst_other, fit)
    i0 = np.full(dst, -1, np.int64)
    i1 = np.full(dst, -1, np.int64)
    w = np.zeros(dst, np.int64)
    d = np.arange(dl, dtype=np.int64)
    if method == "nearest":
        idx = s0 + np.minimum(((2 * d + 1) * sl) // (2 * dl), sl - 1)
        i0[d0:d0 + dl], i1[d0:d0 + dl] = idx, idx
    else:
        pos = ((2 * d + 1) * sl * 256) // (2 * dl) - 128 + s0 * 256
        pos = np.clip(pos, s0 * 256, (s0 + sl - 1) * 256)
        first = pos >> 8
        i0[d0:d0 + dl] = first
        i1[d0:d0 + dl] = np.minimum(first + 1, s0 + sl - 1)
        w[d0:d0 + dl] = pos & 255
    return AxisTable(i0.astype(np.int32), i1.astype(np.int32), w.astype(np.int32))


def resample(pixels: np.ndarray, cols: AxisTable, rows: AxisTable) -> np.ndarray:
    """uint8 (n, h, w, c) -> uint8 (n, len(rows), len(cols), c); padding is 0."""
    p = pixels.astype(np.int32)
    x0, x1 = np.maximum(cols.i0, 0), np.maximum(cols.i1, 0)
    y0, y1 = np.maximum(rows.i0, 0), np.maximum(rows.i1, 0)
    wx = cols.w[None, None, :, None]
    wy = rows.w[None, :, None, None]
    top = p[:, y0][:, :, x0] * (256 - wx) + p[:, y0][:, :, x1] * wx
    bottom = p[:, y1][:, :, x0] * (256 - wx) + p[:, y1][:, :, x1] * wx
    out = (top * (256 - wy) + bottom * wy + 32768) >> 16
    pad = (rows.i0 < 0)[None, :, None, None] | (cols.i0 < 0)[None, None, :, None]
    return np.where(pad, 0, out).astype(np.uint8)
