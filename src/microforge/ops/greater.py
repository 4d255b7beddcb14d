"""GREATER: x1 vs x2 with broadcasting, a bool output, as TFLM (comparison_common.py)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.comparison_common import ORDERED_DTYPES, ComparisonOp


@register
class Greater(ComparisonOp):
    op_type = "GREATER"
    dtypes = ORDERED_DTYPES
    c_op = "MF_CMP_GREATER"
