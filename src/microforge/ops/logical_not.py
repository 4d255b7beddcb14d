"""LOGICAL_NOT: bool !x, elementwise, as TFLM (in place allowed)."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import dtypes
from microforge.ops.base import EmitContext, MemoryHints, OpDef, register
from microforge.ops.broadcast import use_binary_kernel
from microforge.ops.logical_common import KERNEL


@register
class LogicalNot(OpDef):
    op_type = "LOGICAL_NOT"
    dtypes = ("bool",)

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 1 or len(op.outputs) != 1:
            return "needs one input and one output"
        kinds = dtypes(graph, op)
        return None if kinds == ("bool", "bool") else f"dtypes {kinds} not implemented (bool)"

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.num_elements != out.num_elements:
            raise self.fail(op, f"output shape {list(out.shape)} should be {list(x.shape)}")

    def memory(self, op: Operator, graph: Graph, params: object) -> MemoryHints:
        if graph.tensors[op.inputs[0]].is_constant:
            return MemoryHints()
        return MemoryHints(inplace_input=0)

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        use_binary_kernel(ctx, KERNEL)  # logical.c holds the binary ops too
        n = graph.tensors[op.outputs[0]].num_elements
        ctx.call(f"mf_logical_not({ctx.ptr(op.inputs[0])}, {ctx.ptr(op.outputs[0])}, {n});")
