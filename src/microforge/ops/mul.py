"""MUL: int8 and int16 (16x8: zero points 0, as TFLM requires; kernels/mul_s16.c) with one
multiplier s1 * s2 / s_out, and float32; broadcasting, fused activation."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import (
    ACTIVATIONS,
    activation_of,
    pick,
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
from microforge.ops.elementwise_common import activation_range_int8
from microforge.ops.int16_common import activation_range_int16, int16_tensor_problem
from microforge.ops.quant import quantize_multiplier


@dataclass(frozen=True)
class MulParams:
    dtype: str
    plan: BroadcastPlan
    input1_offset: int = 0
    input2_offset: int = 0
    output_multiplier: int = 0
    output_shift: int = 0
    output_offset: int = 0
    act_min: int = -128
    act_max: int = 127


@register
class Mul(BroadcastBinaryOp):
    op_type = "MUL"
    dtypes = ("float32", "int8", "int16", "int32")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.broadcast_problem(op, graph)
        if problem:
            return problem
        if is_int32(op, graph):
            return int32_problem(op, graph)
        if activation_of(op) not in ACTIVATIONS:
            return f"fused activation {activation_of(op)}"
        if graph.tensors[op.inputs[0]].dtype == "int16":
            return self._int16_problem(op, graph)
        return self.float_or_int8_problem(op, graph)

    @staticmethod
    def _int16_problem(op: Operator, graph: Graph) -> str | None:
        tensors = [graph.tensors[i] for i in (*op.inputs, op.outputs[0])]
        if [t.dtype for t in tensors] != ["int16"] * 3:
            return f"dtypes {tuple(t.dtype for t in tensors)} not implemented"
        for t, what in zip(tensors, ("input 1", "input 2", "output"), strict=True):
            if problem := int16_tensor_problem(t, what):
                return problem
            if t.zero_point != 0:
                return f"int16 {what} zero point {t.zero_point} (TFLM requires 0)"
        return None

    def prepare(self, op: Operator, graph: Graph) -> MulParams:
        plan = self.plan(op, graph)
        out = graph.tensors[op.outputs[0]]
        if out.dtype in ("float32", "int32"):
            return MulParams(out.dtype, plan)
        a, b = (graph.tensors[i] for i in op.inputs)
        multiplier, shift = quantize_multiplier(a.scale * b.scale / out.scale)
        if out.dtype == "int16":
            lo, hi = activation_range_int16(op, out)
        else:
            lo, hi = activation_range_int8(activation_of(op), out.scale, out.zero_point)
        return MulParams(out.dtype, plan, -a.zero_point, -b.zero_point, multiplier, shift,
                         out.zero_point, lo, hi)

    def emit(self, op: Operator, graph: Graph, params: MulParams, ctx: EmitContext) -> None:
        if params.dtype == "float32":
            emit_binary_f32(op, params.plan, "MF_BINARY_MUL", ctx)
            return
        if params.dtype == "int32":
            emit_binary_s32(op, params.plan, ctx)
            return
        kernel = "mul_s16" if params.dtype == "int16" else "mul_s8"
        use_binary_kernel(ctx, kernel)
        p = params
        fields = {"shape": p.plan.c_initializer(),
                  **pick(p, "input1_offset input2_offset output_multiplier output_shift "
                            "output_offset act_min act_max")}
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
        ctx.call(struct_call(kernel, fields, args))
