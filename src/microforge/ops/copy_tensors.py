"""MF_COPY: input i copied into output i (the loop variables of an inlined WHILE start as the
WHILE's inputs, ir/control_flow.py)."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register


@register
class CopyTensors(OpDef):
    op_type = "MF_COPY"
    dtypes = ("float32", "int8", "int16", "int32", "int64", "bool")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != len(op.outputs) or not op.outputs:
            return "needs as many inputs as outputs"
        return None

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        for source, target in zip(op.inputs, op.outputs, strict=True):
            ctx.call(f"memcpy({ctx.ptr(target)}, {ctx.ptr(source)}, "
                     f"{graph.tensors[target].nbytes});")
