"""REDUCE_MAX (float32, int8; constant axes); see reduce_min_max_common."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.reduce_min_max_common import ReduceMinMaxBase


@register
class ReduceMax(ReduceMinMaxBase):
    op_type = "REDUCE_MAX"
    function = "mf_reduce_max"
