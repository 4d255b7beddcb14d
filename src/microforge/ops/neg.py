"""NEG: float32 (`-x`, as TFLM's reference kernel; TFLM has no integer NEG)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.math_unary_common import FloatUnaryOp


@register
class Neg(FloatUnaryOp):
    op_type = "NEG"
    dtypes = ("float32",)
    function = "neg"
    needs_libm = False
