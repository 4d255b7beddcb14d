"""Shared by the operators that IF / WHILE inline into (ir/control_flow.py): the C condition
of an operator's guards."""

from __future__ import annotations

from microforge.ir.graph import Operator
from microforge.ops.base import EmitContext


def guard_condition(op: Operator, ctx: EmitContext) -> str | None:
    """The C expression under which `op` runs (its IF guards), or None when it always runs."""
    if not op.guards:
        return None
    terms = [f"{'' if value else '!'}*{ctx.ptr(tensor)}" for tensor, value in op.guards]
    return " && ".join(terms)
