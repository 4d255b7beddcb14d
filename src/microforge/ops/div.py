"""DIV: float32 (a / b, fused activation, broadcasting). TFLM's int8 DIV (GetReciprocal and a
headroom shift per element) is not implemented yet."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import (
    ACTIVATIONS,
    activation_of,
    dtypes,
    float_activation_range,
    struct_call,
)
from microforge.ops.base import EmitContext, register
from microforge.ops.broadcast import BroadcastBinaryOp, BroadcastPlan, use_binary_kernel


@register
class Div(BroadcastBinaryOp):
    op_type = "DIV"
    dtypes = ("float32",)

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.broadcast_problem(op, graph)
        if problem:
            return problem
        if activation_of(op) not in ACTIVATIONS:
            return f"fused activation {activation_of(op)}"
        kinds = dtypes(graph, op)
        if kinds != ("float32",) * 3:
            return f"dtypes {kinds} not implemented (float32 only)"
        return None

    def prepare(self, op: Operator, graph: Graph) -> BroadcastPlan:
        return self.plan(op, graph)

    def emit(self, op: Operator, graph: Graph, params: BroadcastPlan, ctx: EmitContext) -> None:
        use_binary_kernel(ctx, "div_f32")
        lo, hi = float_activation_range(op)
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
        ctx.call(struct_call("div_f32", [params.c_initializer(), lo, hi], args))
