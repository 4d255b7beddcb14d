"""MINIMUM: float32, int8, int16, int32 and int64, broadcasting (shares MAXIMUM's kernel, see maximum.py)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.maximum import MaxMinBase


@register
class Minimum(MaxMinBase):
    op_type = "MINIMUM"
    dtypes = ("float32", "int8", "int16", "int32", "int64")
    is_max = False
