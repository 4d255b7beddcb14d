"""ASSIGN_VARIABLE: a value copied into a resource variable (see resource_variable_common.py).
The variable's size and reset value come from the first of its ASSIGN/READ ops; every other
one must move as many bytes (TFLM checks it too)."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, register
from microforge.ops.resource_variable_common import ResourceOp, handle_problem


@register
class AssignVariable(ResourceOp):
    op_type = "ASSIGN_VARIABLE"
    dtypes = ("float32", "int8", "int16", "int32")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or op.outputs:
            return "needs the variable and a value, and no output"
        return handle_problem(graph, op.inputs[0])

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        value = graph.tensors[op.inputs[1]]
        ctx.call(f"memcpy({ctx.ptr(op.inputs[0])}, {ctx.ptr(op.inputs[1])}, {value.nbytes});")
