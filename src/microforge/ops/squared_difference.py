"""SQUARED_DIFFERENCE: float32, int32 (raw, wrapping), int8 and int16 as TFLM (left shift 7 for
int8, 0 for int16, whose zero points must be 0; both inputs rescaled to twice the larger
scale, the squared difference requantized), with broadcasting.

TFLM int8 Prepare, in double except one float product: twice = 2 * max(s1, s2);
m1 = s1 / twice, m2 = s2 / twice (QuantizeMultiplierSmallerThanOneExp);
m_out = twice^2 / double(float((1 << 2 * left_shift) * s_out)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import dtypes, named, per_tensor_problem, struct_call
from microforge.ops.base import EmitContext, register
from microforge.ops.broadcast import BroadcastBinaryOp, BroadcastPlan, use_binary_kernel
from microforge.ops.quant import quantize_multiplier

LEFT_SHIFT = 7  # int8; int16 uses 0 (TFLM's Prepare)


@dataclass(frozen=True)
class SquaredDifferenceParams:
    dtype: str
    plan: BroadcastPlan
    fields: tuple[int, ...] = ()  # offsets, left shift, multipliers/shifts (the C struct order)


def int8_fields(s1: float, zp1: int, s2: float, zp2: int, s_out: float,
                zp_out: int, left_shift: int = LEFT_SHIFT) -> tuple[int, ...]:
    twice = 2.0 * float(max(np.float32(s1), np.float32(s2)))
    m1, sh1 = quantize_multiplier(s1 / twice)
    m2, sh2 = quantize_multiplier(s2 / twice)
    mo, sho = quantize_multiplier(twice * twice
                                  / float(np.float32(1 << (2 * left_shift)) * np.float32(s_out)))
    return (-zp1, -zp2, zp_out, left_shift, m1, sh1, m2, sh2, mo, sho)


@register
class SquaredDifference(BroadcastBinaryOp):
    op_type = "SQUARED_DIFFERENCE"
    dtypes = ("float32", "int8", "int16", "int32")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.broadcast_problem(op, graph)
        if problem:
            return problem
        kinds = dtypes(graph, op)
        if kinds == ("int32",) * 3:
            return None  # TFLM's int32 path ignores any quantization
        if kinds == ("int16",) * 3:
            tensors = [graph.tensors[i] for i in (*op.inputs, op.outputs[0])]
            for t, what in zip(tensors, ("input 1", "input 2", "output"), strict=True):
                if problem := per_tensor_problem(t, what):
                    return problem
            if any(t.zero_point for t in tensors):
                return "int16 with a zero point other than 0 (TFLM requires 0)"
            return None
        return self.float_or_int8_problem(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> SquaredDifferenceParams:
        plan = self.plan(op, graph)
        out = graph.tensors[op.outputs[0]]
        if out.dtype in ("float32", "int32"):
            return SquaredDifferenceParams(out.dtype, plan)
        a, b = (graph.tensors[i] for i in op.inputs)
        return SquaredDifferenceParams(out.dtype, plan, int8_fields(
            a.scale, a.zero_point, b.scale, b.zero_point, out.scale, out.zero_point,
            0 if out.dtype == "int16" else LEFT_SHIFT))

    def emit(self, op: Operator, graph: Graph, params: SquaredDifferenceParams,
             ctx: EmitContext) -> None:
        use_binary_kernel(ctx, "squared_difference")
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
        if params.dtype in ("float32", "int32"):
            suffix = "f32" if params.dtype == "float32" else "s32"
            ctx.call(f"{{ static const mf_broadcast_shape s = {params.plan.c_initializer()}; "
                     f"mf_squared_difference_{suffix}(&s, {', '.join(args)}); }}")
            return
        fields = named("input1_offset input2_offset output_offset left_shift input1_multiplier "
                       "input1_shift input2_multiplier input2_shift output_multiplier "
                       "output_shift", params.fields)
        function = "mf_squared_difference_s16" if params.dtype == "int16" else None
        ctx.call(struct_call("squared_difference_s8",
                             {"shape": params.plan.c_initializer(), **fields}, args,
                             function=function))
