"""READ_VARIABLE: a copy of a resource variable's value (see resource_variable_common.py)."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, register
from microforge.ops.resource_variable_common import ResourceOp, handle_problem


@register
class ReadVariable(ResourceOp):
    op_type = "READ_VARIABLE"
    dtypes = ("float32", "int8", "int16", "int32")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 1 or len(op.outputs) != 1:
            return "needs the variable and one output"
        return handle_problem(graph, op.inputs[0])

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        out = graph.tensors[op.outputs[0]]
        ctx.call(f"memcpy({ctx.ptr(op.outputs[0])}, {ctx.ptr(op.inputs[0])}, {out.nbytes});")
