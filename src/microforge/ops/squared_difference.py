"""SQUARED_DIFFERENCE: float32 and int8 as TFLM (left shift 7, both inputs rescaled to twice
the larger scale, the squared difference requantized), with broadcasting.

TFLM int8 Prepare, in double except one float product: twice = 2 * max(s1, s2);
m1 = s1 / twice, m2 = s2 / twice (QuantizeMultiplierSmallerThanOneExp);
m_out = twice^2 / double(float((1 << 14) * s_out)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import named, struct_call
from microforge.ops.base import EmitContext, register
from microforge.ops.broadcast import BroadcastBinaryOp, BroadcastPlan, use_binary_kernel
from microforge.ops.quant import quantize_multiplier

LEFT_SHIFT = 7


@dataclass(frozen=True)
class SquaredDifferenceParams:
    dtype: str
    plan: BroadcastPlan
    fields: tuple[int, ...] = ()  # offsets, left shift, multipliers/shifts (the C struct order)


def int8_fields(s1: float, zp1: int, s2: float, zp2: int, s_out: float,
                zp_out: int) -> tuple[int, ...]:
    twice = 2.0 * float(max(np.float32(s1), np.float32(s2)))
    m1, sh1 = quantize_multiplier(s1 / twice)
    m2, sh2 = quantize_multiplier(s2 / twice)
    mo, sho = quantize_multiplier(twice * twice
                                  / float(np.float32(1 << (2 * LEFT_SHIFT)) * np.float32(s_out)))
    return (-zp1, -zp2, zp_out, LEFT_SHIFT, m1, sh1, m2, sh2, mo, sho)


@register
class SquaredDifference(BroadcastBinaryOp):
    op_type = "SQUARED_DIFFERENCE"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.broadcast_problem(op, graph)
        if problem:
            return problem
        return self.float_or_int8_problem(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> SquaredDifferenceParams:
        plan = self.plan(op, graph)
        out = graph.tensors[op.outputs[0]]
        if out.dtype == "float32":
            return SquaredDifferenceParams("float32", plan)
        a, b = (graph.tensors[i] for i in op.inputs)
        return SquaredDifferenceParams("int8", plan, int8_fields(
            a.scale, a.zero_point, b.scale, b.zero_point, out.scale, out.zero_point))

    def emit(self, op: Operator, graph: Graph, params: SquaredDifferenceParams,
             ctx: EmitContext) -> None:
        use_binary_kernel(ctx, "squared_difference")
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
        if params.dtype == "float32":
            ctx.call(f"{{ static const mf_broadcast_shape s = {params.plan.c_initializer()}; "
                     f"mf_squared_difference_f32(&s, {', '.join(args)}); }}")
            return
        fields = named("input1_offset input2_offset output_offset left_shift input1_multiplier "
                       "input1_shift input2_multiplier input2_shift output_multiplier "
                       "output_shift", params.fields)
        ctx.call(struct_call("squared_difference_s8",
                             {"shape": params.plan.c_initializer(), **fields}, args))
