"""SUB: int8, int16 (16x8) and float32, broadcasting, fused activation (shares ADD's kernel, see add.py)."""

from __future__ import annotations

from microforge.ops.add import AddSubBase
from microforge.ops.base import register


@register
class Sub(AddSubBase):
    op_type = "SUB"
    dtypes = ("float32", "int8", "int16", "int32")
    subtract = True
