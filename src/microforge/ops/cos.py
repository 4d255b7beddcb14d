"""COS: float32 (`cosf(x)`, as TFLM's reference kernel; TFLM has no integer COS)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.math_unary_common import FloatUnaryOp


@register
class Cos(FloatUnaryOp):
    op_type = "COS"
    dtypes = ("float32",)
    function = "cos"
    needs_libm = True
