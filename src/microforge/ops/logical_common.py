"""LOGICAL_AND and LOGICAL_OR as TFLM's logical.cc: two bool inputs broadcast against each
other, a bool output (in place of an input of the output's shape)."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import dtypes, struct_call
from microforge.ops.base import EmitContext
from microforge.ops.broadcast import BroadcastBinaryOp, BroadcastPlan, use_binary_kernel

KERNEL = "logical"


class LogicalBinaryOp(BroadcastBinaryOp):
    dtypes = ("bool",)
    is_and = True

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.broadcast_problem(op, graph)
        if problem:
            return problem
        kinds = dtypes(graph, op)
        return None if kinds == ("bool",) * 3 else f"dtypes {kinds} not implemented (bool only)"

    def prepare(self, op: Operator, graph: Graph) -> BroadcastPlan:
        return self.plan(op, graph)

    def emit(self, op: Operator, graph: Graph, params: BroadcastPlan, ctx: EmitContext) -> None:
        use_binary_kernel(ctx, KERNEL)
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
        ctx.call(struct_call("logical", {"shape": params.c_initializer(),
                                         "is_and": int(self.is_and)}, args))
