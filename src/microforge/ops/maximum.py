"""MAXIMUM: float32, int8, int16, int32 and int64 (TFLM's set), broadcasting. Like TFLM, the
integer types compare the raw values (int8 / int16 whatever their quantization: TFLM has no
Prepare for these ops)."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import (
    dtypes,
    struct_call,
)
from microforge.ops.base import EmitContext, register
from microforge.ops.binary_int32 import emit_binary_s32, int32_problem, is_int32
from microforge.ops.broadcast import (
    BroadcastBinaryOp,
    BroadcastPlan,
    emit_binary_f32,
    use_binary_kernel,
)


@dataclass(frozen=True)
class MaxMinParams:
    dtype: str
    plan: BroadcastPlan


class MaxMinBase(BroadcastBinaryOp):
    is_max = True

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.broadcast_problem(op, graph)
        if problem:
            return problem
        kinds = dtypes(graph, op)
        if kinds in (("float32",) * 3, ("int8",) * 3, ("int16",) * 3, ("int64",) * 3):
            return None
        if is_int32(op, graph):
            return int32_problem(op, graph)
        return f"dtypes {kinds} not implemented"

    def prepare(self, op: Operator, graph: Graph) -> MaxMinParams:
        return MaxMinParams(graph.tensors[op.outputs[0]].dtype, self.plan(op, graph))

    def emit(self, op: Operator, graph: Graph, params: MaxMinParams, ctx: EmitContext) -> None:
        if params.dtype == "float32":
            emit_binary_f32(op, params.plan, "MF_BINARY_MAX" if self.is_max else
                            "MF_BINARY_MIN", ctx)
            return
        if params.dtype == "int32":
            emit_binary_s32(op, params.plan, ctx)
            return
        use_binary_kernel(ctx, "max_min_s8")
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
        suffix = {"int8": "s8", "int16": "s16", "int64": "s64"}[params.dtype]
        ctx.call(struct_call("max_min_s8", {"shape": params.plan.c_initializer(),
                                            "is_max": int(self.is_max)},
                             args, function=f"mf_max_min_{suffix}"))


@register
class Maximum(MaxMinBase):
    op_type = "MAXIMUM"
    dtypes = ("float32", "int8", "int16", "int32", "int64")
    is_max = True
