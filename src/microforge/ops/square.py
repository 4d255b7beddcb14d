"""SQUARE: float32 (`x * x`, as TFLM's reference kernel; TFLM has no integer SQUARE)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.math_unary_common import FloatUnaryOp


@register
class Square(FloatUnaryOp):
    op_type = "SQUARE"
    dtypes = ("float32",)
    function = "square"
    needs_libm = False
