"""The image block: a camera frame (or an image file's pixels) -> the model's input.

Windows are images, float32 (n, height, width, channels) holding 0..255 (RGB or gray, as the
dataset reader gives them; (n, height * width, channels) is accepted too, row-major). The
block converts the colour (RGB <-> grayscale), resamples to `width` x `height` (nearest or
bilinear, after a centre crop / a letterbox / a stretch to the output's aspect ratio) with
integer arithmetic, then normalises: unit (0..1), signed (-1..1) or raw (0..255).

The C (`emit_c`, runtime/dsp/mf_dsp_image.c) takes the window as floats like every block, and
adds `<prefix>_frame_pixels` / `<prefix>_frame_features` for the frame format a camera
delivers (`frame_format`: rgb888, rgb565 (little-endian), rgb565be, yuyv, grayscale). The uint8
pixels are bit-exact between C and Python; the float features are one float32 multiply and add
per pixel, the same in both (tests/dsp/test_image_c.py measures them equal).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from microforge.dsp.base import DspBlock
from microforge.dsp.image_ops import (
    FRAME_FORMATS,
    AxisTable,
    axis_table,
    decode_frame,
    fit_regions,
    resample,
    rgb_to_gray,
)
from microforge.dsp.params import config_error, require
from microforge.dsp.registry import register
from microforge.errors import DataError

MAX_SIDE = 4096
NORMALIZE = {"unit": (1.0 / 255.0, 0.0), "signed": (2.0 / 255.0, -1.0), "raw": (1.0, 0.0)}


@dataclass(frozen=True)
class ImageParams:
    width: int = 96  # the model's input width, pixels
    height: int = 96
    color: Literal["rgb", "grayscale"] = "grayscale"
    resize: Literal["bilinear", "nearest"] = "bilinear"
    fit: Literal["crop", "letterbox", "stretch"] = "crop"  # to the output's aspect ratio
    normalize: Literal["unit", "signed", "raw"] = "unit"  # 0..1, -1..1, 0..255
    frame_format: Literal["rgb888", "rgb565", "rgb565be", "yuyv", "grayscale"] = "rgb888"

    def __post_init__(self) -> None:
        for name in ("width", "height"):
            value = getattr(self, name)
            require(1 <= value <= MAX_SIDE, name, f"must be 1..{MAX_SIDE} pixels (got {value})")
        require(self.frame_format in FRAME_FORMATS, "frame_format",
                f"one of {', '.join(FRAME_FORMATS)}")


@register
class ImageBlock(DspBlock):
    """Output (height, width, 1 or 3) float32: colour-converted, resampled, normalised pixels."""

    name = "image"
    params_class = ImageParams
    params: ImageParams
    windowed = False  # one window per image

    def __init__(self, params: Any = None) -> None:
        super().__init__(params)
        self.frame_height: int | None = None
        self.frame_width: int | None = None

    @property
    def out_channels(self) -> int:
        return 1 if self.params.color == "grayscale" else 3

    # -- the DspBlock interface, for images -------------------------------------------------
    def fit(self, x: np.ndarray, sample_rate: float = 1.0) -> ImageBlock:
        """Record the frame geometry (the windowing's sample rate does not apply)."""
        x = np.asarray(x)
        if x.ndim != 4:
            raise DataError(f"image block: windows must be images (n, height, width, channels),"
                            f" got shape {x.shape}; use an image dataset")
        self._set_geometry(int(x.shape[1]), int(x.shape[2]), int(x.shape[3]))
        self.standardizer = None
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        pixels = self.pixels(x)
        scale, offset = NORMALIZE[self.params.normalize]
        return pixels.astype(np.float32) * np.float32(scale) + np.float32(offset)

    def feature_shape(self, win_len: int, n_channels: int,
                      sample_rate: float | None = None) -> tuple[int, ...]:
        return (self.params.height, self.params.width, self.out_channels)

    def _unnormalized(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - transform above
        return self.pixels(x).astype(np.float32)

    # -- the integer path ---------------------------------------------------------------------
    def pixels(self, x: np.ndarray) -> np.ndarray:
        """uint8 (n, height, width, out channels): colour-converted and resampled."""
        h, w, c = self.frame_shape()
        x = np.asarray(x)
        if x.ndim == 3 and x.shape[1:] == (h * w, c):
            x = x.reshape(-1, h, w, c)
        if x.ndim != 4 or x.shape[1:] != (h, w, c):
            raise DataError(f"image block: images are {tuple(x.shape[1:])} but the block was "
                            f"fitted on {h}x{w}x{c} (height x width x channels)")
        if not np.all(np.isfinite(x)):
            raise DataError("image block: images contain NaN or infinite values")
        u8 = np.floor(np.clip(x, 0, 255).astype(np.float32) + np.float32(0.5)).astype(np.uint8)
        u8 = self._convert(u8)
        cols, rows = self.tables_xy()
        return resample(u8, cols, rows)

    def frame_pixels(self, frame: bytes | np.ndarray) -> np.ndarray:
        """uint8 (height, width, out channels) of one camera frame in `frame_format`, as the
        C's `<prefix>_frame_pixels` computes it."""
        h, w, _ = self.frame_shape()
        gray = self.params.color == "grayscale"
        decoded = decode_frame(frame, self.params.frame_format, w, h, gray)
        cols, rows = self.tables_xy()
        return resample(decoded[None], cols, rows)[0]

    def frame_features(self, frame: bytes | np.ndarray) -> np.ndarray:
        scale, offset = NORMALIZE[self.params.normalize]
        return self.frame_pixels(frame).astype(np.float32) * np.float32(scale) + \
            np.float32(offset)

    def tables_xy(self) -> tuple[AxisTable, AxisTable]:
        """The column and row tables of the resampling (also exported to C)."""
        h, w, _ = self.frame_shape()
        p = self.params
        cols = axis_table(w, p.width, h, p.height, p.fit, p.resize)
        rows = axis_table(h, p.height, w, p.width, p.fit, p.resize)
        return cols, rows

    def tables(self) -> dict[str, np.ndarray]:
        cols, rows = self.tables_xy()
        return {"col_i0": cols.i0, "col_i1": cols.i1, "col_w": cols.w,
                "row_i0": rows.i0, "row_i1": rows.i1, "row_w": rows.w}

    def fit_axes(self) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]]:
        """(source start, source length, destination start, destination length) of the
        frame's columns and rows: the frame region resampled onto the input region."""
        h, w, _ = self.frame_shape()
        p = self.params
        return (fit_regions(w, p.width, h, p.height, p.fit),
                fit_regions(h, p.height, w, p.width, p.fit))

    def input_point(self, x: float, y: float) -> tuple[float, float] | None:
        """A point of the frame (pixels) in the model's input (pixels), through the crop /
        letterbox / stretch; None when the crop cuts it away."""
        h, w, _ = self.frame_shape()
        p = self.params
        out = []
        for value, src, dst, src_other, dst_other in ((x, w, p.width, h, p.height),
                                                      (y, h, p.height, w, p.width)):
            s0, sl, d0, dl = fit_regions(src, dst, src_other, dst_other, p.fit)
            if not s0 <= value <= s0 + sl:
                return None
            out.append(d0 + (value - s0) * dl / sl)
        return out[0], out[1]

    def frame_shape(self) -> tuple[int, int, int]:
        if self.frame_height is None or self.frame_width is None or self.n_channels is None:
            raise RuntimeError("image block is not fitted: call fit(images) first")
        return self.frame_height, self.frame_width, self.n_channels

    def _convert(self, u8: np.ndarray) -> np.ndarray:
        if u8.shape[-1] == 3 and self.params.color == "grayscale":
            return rgb_to_gray(u8)
        if u8.shape[-1] == 1 and self.params.color == "rgb":
            return np.repeat(u8, 3, axis=-1)
        return u8

    def _set_geometry(self, height: int, width: int, channels: int) -> None:
        if channels not in (1, 3):
            raise DataError(f"image block: images need 1 (gray) or 3 (RGB) channels, "
                            f"got {channels}")
        if self.params.frame_format == "yuyv" and width % 2:
            raise config_error("frame_format", f"yuyv needs an even frame width (got {width})")
        self.frame_height, self.frame_width = height, width
        self.sample_rate, self.win_len, self.n_channels = 1.0, height * width, channels

    # -- saving -------------------------------------------------------------------------------
    def _fitted_state(self) -> dict[str, Any]:
        return {"frame_height": self.frame_height, "frame_width": self.frame_width}

    def _load_fitted_state(self, fitted: Mapping[str, Any]) -> None:
        self._set_geometry(int(fitted["frame_height"]), int(fitted["frame_width"]),
                           int(fitted["n_channels"]))
