"""SUM over constant axes (int8, float32): MEAN's loops and kernels without the 1/n (TFLM's
QuantizedMeanOrSum with compute_sum, ReduceGeneric for float32); see mean.py."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.mean import Mean


@register
class Sum(Mean):
    op_type = "SUM"
    compute_sum = True
