"""CEIL: float32 (`ceilf(x)`, as TFLM's reference kernel; TFLM has no integer CEIL)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.math_unary_common import FloatUnaryOp


@register
class Ceil(FloatUnaryOp):
    op_type = "CEIL"
    dtypes = ("float32",)
    function = "ceil"
    needs_libm = True
