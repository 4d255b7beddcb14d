"""MF_IF_MERGE: the results of an inlined IF (ir/control_flow.py). Inputs: the condition,
the then-branch's outputs, the else-branch's outputs; each output is a copy of the taken
branch's (only that branch ran)."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register


@register
class IfMerge(OpDef):
    op_type = "MF_IF_MERGE"
    dtypes = ("float32", "int8", "int16", "int32", "int64", "bool")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        n = len(op.outputs)
        if len(op.inputs) != 1 + 2 * n:
            return f"needs a condition and {n} + {n} branch results"
        return None

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        n = len(op.outputs)
        cond = ctx.ptr(op.inputs[0])
        for j, out in enumerate(op.outputs):
            then, other = ctx.ptr(op.inputs[1 + j]), ctx.ptr(op.inputs[1 + n + j])
            ctx.call(f"memcpy({ctx.ptr(out)}, *{cond} ? (const void *){then} : "
                     f"(const void *){other}, {graph.tensors[out].nbytes});")
