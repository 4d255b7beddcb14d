"""ABS: float32 (`fabsf`) and int8, tabulated at compile time from TFLM's integer arithmetic.

TFLM int8 Prepare: needs_rescale = input_scale != output_scale (float compare); the multiplier
is QuantizeMultiplier(double(float(input_scale / output_scale))). Eval: v = |x - in_zp|, then
out = clamp(v + out_zp) without rescale, else clamp(MultiplyByQuantizedMultiplier(v) + out_zp).
"""

from __future__ import annotations

import numpy as np

from microforge.ir.tensor import Tensor
from microforge.ops.base import register
from microforge.ops.elementwise_common import (
    f32_div,
    int8_table,
)
from microforge.ops.elementwise_fixedpoint import all_int8, multiply_by_quantized_multiplier
from microforge.ops.math_unary_common import TableUnaryOp
from microforge.ops.quant import quantize_multiplier


def abs_table(x: Tensor, out: Tensor) -> np.ndarray:
    """int8 table of TFLM's ABS for every input value."""
    value = np.abs(all_int8() - x.zero_point)
    if np.float32(x.scale) != np.float32(out.scale):
        multiplier, shift = quantize_multiplier(f32_div(x.scale, out.scale))
        value = multiply_by_quantized_multiplier(value, multiplier, shift)
    return int8_table(value + out.zero_point)


@register
class Abs(TableUnaryOp):
    op_type = "ABS"
    dtypes = ("float32", "int8")
    function = "abs"

    def int8_values(self, x: Tensor, out: Tensor) -> np.ndarray:
        return abs_table(x, out)
