"""FLOOR_MOD: float32, broadcasting (kernel and TFLM notes in floor_div_mod.py)."""

from __future__ import annotations

from microforge.ops.base import register
from microforge.ops.floor_div_mod import FloorDivModBase


@register
class FloorMod(FloorDivModBase):
    op_type = "FLOOR_MOD"
    dtypes = ("float32",)
    opcode = "MF_FLOOR_MOD"
