"""EXP: float32 (`expf(x)`, as TFLM's reference kernel; TFLM has no integer EXP)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.math_unary_common import FloatUnaryOp


@register
class Exp(FloatUnaryOp):
    op_type = "EXP"
    dtypes = ("float32",)
    function = "exp"
    needs_libm = True
