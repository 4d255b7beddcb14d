"""LOGICAL_AND: bool x1 && x2 with broadcasting, as TFLM (logical_common.py)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.logical_common import LogicalBinaryOp


@register
class LogicalAnd(LogicalBinaryOp):
    op_type = "LOGICAL_AND"
    is_and = True
