"""SOFTMAX int16's two 513-entry tables (exp on [-10, 0] and 1 / (1 + x) on [0, 1]),
computed at compile time exactly as TFLM's softmax Prepare fills them (LUTPopulate<int16_t>
in float32: 512 samples, each corrected by half the interpolation error at its midpoint,
then the last point). Everything is float32 arithmetic as in the C++; exp is rounded from
double to float32 (the correctly rounded expf).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from microforge.ops.quant import round_half_away

f32 = np.float32
INT16_MIN, INT16_MAX = -32768, 32767
LUT_STEPS = 512
RANGE = INT16_MAX - INT16_MIN  # 65535, an int in the C++


def lut_populate_int16(input_scale: np.float32, input_zero_point: int,
                       output_scale: np.float32, output_zero_point: int,
                       transform: Callable[[np.float32], np.float32]) -> np.ndarray:
    """TFLite's detail::LUTPopulateInt16<float> (513 int16 values)."""
    input_min = f32(input_scale * f32(INT16_MIN - input_zero_point))
    input_max = f32(input_scale * f32(INT16_MAX - input_zero_point))
    output_min = f32(output_scale * f32(INT16_MIN - output_zero_point))
    output_max = f32(output_scale * f32(INT16_MAX - output_zero_point))
    step = f32(f32(input_max - input_min) / f32(LUT_STEPS))
    half_step = f32(step / f32(2))
    inv = f32(f32(RANGE + 1) / f32(output_max - output_min))

    def rnd(v: np.float32) -> np.float32:
        return f32(round_half_away(float(v)))

    def clamp(v: np.float32) -> int:
        return int(min(max(float(v), INT16_MIN), INT16_MAX))

    lut = np.zeros(LUT_STEPS + 1, dtype=np.int16)
    for i in range(LUT_STEPS):
        at = f32(input_min + f32(f32(i) * step))
        val = transform(at)
        val_mid = transform(f32(at + half_step))
        val_next = transform(f32(input_min + f32(f32(i + 1) * step)))
        sample = rnd(f32(val * inv))
        interp = rnd(f32(f32(f32(val_next * inv) + sample) / f32(2)))
        midpoint = rnd(f32(val_mid * inv))
        bias = rnd(f32(f32(interp - midpoint) / f32(2)))
        lut[i] = clamp(f32(sample - bias))
    lut[LUT_STEPS] = clamp(rnd(f32(transform(input_max) * inv)))
    return lut


def _exp(v: np.float32) -> np.float32:
    return f32(math.exp(float(v)))


def _one_over_one_plus(v: np.float32) -> np.float32:
    return f32(f32(1.0) / f32(f32(1.0) + v))


def softmax_int16_tables() -> tuple[np.ndarray, np.ndarray]:
    """(exp_lut, one_over_one_plus_x_lut) as TFLM's InitializeLutForInt16."""
    exp_lut = lut_populate_int16(f32(f32(10.0) / f32(RANGE)), INT16_MAX,
                                 f32(f32(2.0) / f32(RANGE)), 0, _exp)
    recip_lut = lut_populate_int16(f32(f32(1.0) / f32(RANGE)), INT16_MIN,
                                   f32(f32(2.0) / f32(RANGE)), 0, _one_over_one_plus)
    return exp_lut, recip_lut
