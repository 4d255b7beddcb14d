"""LOG: float32 (`logf(x)`, as TFLM's reference kernel; TFLM has no integer LOG)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.math_unary_common import FloatUnaryOp


@register
class Log(FloatUnaryOp):
    op_type = "LOG"
    dtypes = ("float32",)
    function = "log"
    needs_libm = True
