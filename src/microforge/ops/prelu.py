"""PRELU: float32, int8 and int16 with int8 alpha (TFLM's CalculatePreluParams: both
multipliers in double; int16 needs an int8 alpha, as TFLM's Prepare, and takes any zero point),
alpha broadcast against the input as TFLite's BroadcastBinaryOpSimple."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import dtypes, per_tensor_problem, pick, struct_call
from microforge.ops.base import EmitContext, register
from microforge.ops.broadcast import BroadcastBinaryOp, BroadcastPlan, use_binary_kernel
from microforge.ops.quant import quantize_multiplier


@dataclass(frozen=True)
class PreluParams:
    dtype: str
    plan: BroadcastPlan
    input_offset: int = 0
    alpha_offset: int = 0
    output_offset: int = 0
    multiplier_1: int = 0
    shift_1: int = 0
    multiplier_2: int = 0
    shift_2: int = 0


@register
class Prelu(BroadcastBinaryOp):
    op_type = "PRELU"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.broadcast_problem(op, graph)
        if problem:
            return problem
        kinds = dtypes(graph, op)
        if kinds[0] == "int16" and kinds[2] == "int16":
            if kinds[1] != "int8":
                return f"{kinds[1]} alpha with int16 input (TFLM needs int8)"
            names = ("input", "alpha", "output")
            for index, what in zip((*op.inputs, op.outputs[0]), names, strict=True):
                if problem := per_tensor_problem(graph.tensors[index], what):
                    return problem
            return None
        return self.float_or_int8_problem(op, graph, ("input", "alpha", "output"))

    def prepare(self, op: Operator, graph: Graph) -> PreluParams:
        plan = self.plan(op, graph)
        out = graph.tensors[op.outputs[0]]
        if out.dtype == "float32":
            return PreluParams("float32", plan)
        x, alpha = (graph.tensors[i] for i in op.inputs)
        m1, s1 = quantize_multiplier(x.scale / out.scale)
        m2, s2 = quantize_multiplier(x.scale * alpha.scale / out.scale)
        return PreluParams(out.dtype, plan, -x.zero_point, -alpha.zero_point, out.zero_point,
                           m1, s1, m2, s2)

    def emit(self, op: Operator, graph: Graph, params: PreluParams, ctx: EmitContext) -> None:
        use_binary_kernel(ctx, "prelu")
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
        p = params
        if p.dtype == "float32":
            ctx.call(f"{{ static const mf_broadcast_shape s = {p.plan.c_initializer()}; "
                     f"mf_prelu_f32(&s, {', '.join(args)}); }}")
            return
        fields = {"shape": p.plan.c_initializer(),
                  **pick(p, "input_offset alpha_offset output_offset"),
                  "output_multiplier_1": p.multiplier_1, "output_shift_1": p.shift_1,
                  "output_multiplier_2": p.multiplier_2, "output_shift_2": p.shift_2}
        function = "mf_prelu_s16" if p.dtype == "int16" else None
        ctx.call(struct_call("prelu_s8", fields, args, function=function))
