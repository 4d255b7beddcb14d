"""EQUAL: x1 vs x2 with broadcasting, a bool output, as TFLM (comparison_common.py)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.comparison_common import EQUALITY_DTYPES, ComparisonOp


@register
class Equal(ComparisonOp):
    op_type = "EQUAL"
    dtypes = EQUALITY_DTYPES
    c_op = "MF_CMP_EQUAL"
