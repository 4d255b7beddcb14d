"""SPLIT_V (float32, int8, int16, int32): inputs (input, size_splits, axis); see split_common."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.split_common import SplitBase


@register
class SplitV(SplitBase):
    op_type = "SPLIT_V"
    data_input = 0
    axis_input = 2
