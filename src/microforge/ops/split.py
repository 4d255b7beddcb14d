"""SPLIT (float32, int8, int16, int32): inputs (axis, input); see split_common."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.split_common import SplitBase


@register
class Split(SplitBase):
    op_type = "SPLIT"
    data_input = 1
    axis_input = 0
