"""RSQRT: float32 (`1.0f / sqrtf(x)`, as TFLM's reference kernel) and int8, tabulated at
compile time from TFLM's integer arithmetic.

TFLM int8 Prepare: QuantizeMultiplier(1. / double(sqrtf(input_scale) * output_scale)). Eval per
value v = x - in_zp: v == 0 -> 127; else GetInvSqrtQuantizedMultiplierExp(v) (gemmlowp
Newton-Raphson), data = MBQM(1, inv_sqrt, inv_shift + 20), out = clamp(MBQM(data, multiplier,
shift - 20) + out_zp). TFLM fails Invoke for x < in_zp ("only defined for positive values");
the table gives 127 there (documented in docs/ops.md).
"""

from __future__ import annotations

import numpy as np

from microforge.ir.tensor import Tensor
from microforge.ops.base import register
from microforge.ops.elementwise_common import (
    INT8_MAX,
    int8_table,
)
from microforge.ops.elementwise_fixedpoint import (
    INT32_MAX,
    all_int8,
    multiply_by_quantized_multiplier,
    saturating_rounding_mul_by_pot,
    srdhm32,
    wrap32,
)
from microforge.ops.math_unary_common import TableUnaryOp
from microforge.ops.quant import quantize_multiplier

SHIFT = 20  # TFLM's kShift "to keep value integer"


def inv_sqrt_multiplier_exp(value: int) -> tuple[int, int]:
    """TFLite GetInvSqrtQuantizedMultiplierExp(value, kReverseShift = -1)."""
    if value <= 1:
        return INT32_MAX, 0
    shift = 11
    while value >= (1 << 29):
        value //= 4
        shift += 1
    max_left_shift_bits = (32 - value.bit_length()) - 1
    left_shift_bit_pairs = max_left_shift_bits // 2 - 1
    shift -= left_shift_bit_pairs
    value <<= 2 * left_shift_bit_pairs
    # gemmlowp FixedPoint<int32, 3>: a product of Fa and Fb is F(a+b) with srdhm raw values
    half_input = saturating_rounding_mul_by_pot(np.array(value >> 1, np.int64), -1)
    half_three = (1 << 28) + (1 << 27)
    x = np.array(1 << 28, np.int64)  # F3::One()
    for _ in range(5):
        x3 = saturating_rounding_mul_by_pot(srdhm32(srdhm32(x, x), x), 6)  # F9 -> F3
        x = saturating_rounding_mul_by_pot(wrap32(srdhm32(half_three, x)
                                                  - srdhm32(half_input, x3)), 3)  # F6 -> F3
    raw = int(srdhm32(x, 1518500250))  # * F0 sqrt(2)/2
    if shift < 0:
        raw = int(wrap32(np.int64(raw) << -shift))
        shift = 0
    return raw, -shift


def rsqrt_table(x: Tensor, out: Tensor) -> np.ndarray:
    """int8 table of TFLM's RSQRT for every input value (inputs below the zero point: 127)."""
    real = 1.0 / float(np.sqrt(np.float32(x.scale)) * np.float32(out.scale))
    multiplier, shift = quantize_multiplier(real)
    values = []
    for v in (int(i) - x.zero_point for i in all_int8()):
        if v <= 0:
            values.append(INT8_MAX)
            continue
        inv_sqrt, inv_shift = inv_sqrt_multiplier_exp(v)
        data = multiply_by_quantized_multiplier(np.array(1, np.int64), inv_sqrt,
                                                inv_shift + SHIFT)
        values.append(int(multiply_by_quantized_multiplier(data, multiplier, shift - SHIFT))
                      + out.zero_point)
    return int8_table(np.array(values, dtype=np.int64))


@register
class Rsqrt(TableUnaryOp):
    op_type = "RSQRT"
    dtypes = ("float32", "int8")
    function = "rsqrt"

    def int8_values(self, x: Tensor, out: Tensor) -> np.ndarray:
        return rsqrt_table(x, out)
