"""REDUCE_MIN (float32, int8; constant axes); see reduce_min_max_common."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.reduce_min_max_common import ReduceMinMaxBase


@register
class ReduceMin(ReduceMinMaxBase):
    op_type = "REDUCE_MIN"
    function = "mf_reduce_min"
