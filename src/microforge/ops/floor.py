"""FLOOR: float32 (`floorf(x)`, as TFLM's reference kernel; TFLM has no integer FLOOR)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.math_unary_common import FloatUnaryOp


@register
class Floor(FloatUnaryOp):
    op_type = "FLOOR"
    dtypes = ("float32",)
    function = "floor"
    needs_libm = True
