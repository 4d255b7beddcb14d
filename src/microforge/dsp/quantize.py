"""Float features to the int8 (or int16) model input, the way a given reference pipeline does it."""

from __future__ import annotations

from typing import Literal

import numpy as np


def quantize_features(
    features: np.ndarray,
    scale: float,
    zero_point: int,
    rounding: Literal["truncate", "nearest"] = "nearest",
    bits: int = 8,
) -> np.ndarray:
    """int8 of features / scale + zero_point, computed in float32, clipped to [-128, 127];
    `bits` = 16: int16, clipped to [-32768, 32767] (the input of a 16x8 network).

    "nearest" (half away from zero) is what TFLite's QUANTIZE does; "truncate" (toward zero)
    is what MLPerf Tiny's eval_quantized_model.py does (np.array(x / s + zp, dtype=np.int8)).
    """
    if rounding not in ("truncate", "nearest"):
        raise ValueError(f"unknown rounding {rounding!r}")
    if bits not in (8, 16):
        raise ValueError(f"quantized features of {bits} bits; 8 or 16")
    dtype = np.int16 if bits == 16 else np.int8
    info = np.iinfo(dtype)
    q = np.asarray(features, np.float32) / np.float32(scale) + np.float32(zero_point)
    q = np.trunc(q) if rounding == "truncate" else np.sign(q) * np.floor(np.abs(q) + 0.5)
    q = np.where(np.isnan(q), np.float32(zero_point), q)
    return np.clip(q, info.min, info.max).astype(dtype)
