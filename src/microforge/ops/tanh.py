"""TANH: int8 as TFLM's reference (gemmlowp fixed-point tanh, tabulated at compile time; the
output is assumed scale 1/128, zero point 0), int16 (16x8, as LOGISTIC) and float32 (tanhf).
See logistic.py."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.logistic import Q4ActivationBase


@register
class Tanh(Q4ActivationBase):
    op_type = "TANH"
    dtypes = ("float32", "int8", "int16")
    function = "tanh"
    float_kernel = "mf_tanh_f32"
