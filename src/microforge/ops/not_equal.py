"""NOT_EQUAL: x1 vs x2 with broadcasting, a bool output, as TFLM (comparison_common.py)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.comparison_common import EQUALITY_DTYPES, ComparisonOp


@register
class NotEqual(ComparisonOp):
    op_type = "NOT_EQUAL"
    dtypes = EQUALITY_DTYPES
    c_op = "MF_CMP_NOT_EQUAL"
