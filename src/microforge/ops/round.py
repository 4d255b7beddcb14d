"""ROUND: float32, halves to even as TFLite's RoundToNearest (TFLM has no integer ROUND)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.math_unary_common import FloatUnaryOp


@register
class Round(FloatUnaryOp):
    op_type = "ROUND"
    dtypes = ("float32",)
    function = "round"
    needs_libm = True
