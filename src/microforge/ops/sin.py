"""SIN: float32 (`sinf(x)`, as TFLM's reference kernel; TFLM has no integer SIN)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.math_unary_common import FloatUnaryOp


@register
class Sin(FloatUnaryOp):
    op_type = "SIN"
    dtypes = ("float32",)
    function = "sin"
    needs_libm = True
