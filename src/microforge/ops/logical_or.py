"""LOGICAL_OR: bool x1 || x2 with broadcasting, as TFLM (logical_common.py)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.logical_common import LogicalBinaryOp


@register
class LogicalOr(LogicalBinaryOp):
    op_type = "LOGICAL_OR"
    is_and = False
