"""VAR_HANDLE: names a resource variable (container, shared name); emits no code: its handle
tensor is the variable's slot in the state area (see resource_variable_common.py)."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, register
from microforge.ops.resource_variable_common import ResourceOp


@register
class VarHandle(ResourceOp):
    op_type = "VAR_HANDLE"
    dtypes = ("resource",)

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if op.inputs or len(op.outputs) != 1:
            return "needs no input and one output"
        if graph.tensors[op.outputs[0]].dtype != "resource":
            return f"{graph.tensors[op.outputs[0]].dtype} output (a resource expected)"
        return None

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        return None
