"""SQRT: float32 (`sqrtf(x)`, as TFLM's reference kernel; TFLM has no integer SQRT)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.math_unary_common import FloatUnaryOp


@register
class Sqrt(FloatUnaryOp):
    op_type = "SQRT"
    dtypes = ("float32",)
    function = "sqrt"
    needs_libm = True
