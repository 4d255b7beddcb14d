"""The comparison ops (EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL) as TFLM's
comparisons.cc: two inputs of one dtype, broadcast, a bool output.

float32, int32 and int64 (and bool for EQUAL / NOT_EQUAL) are compared raw. int8 is rescaled
first, as TFLM's Prepare and ComparisonWithScaling do: offset -zero_point, left shift 8, each
input's own multiplier from QuantizeMultiplierSmallerThanOneExp(double(scale)), the two int32
results compared. That Prepare aborts for a scale >= 1, so such a model is refused here.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import dtypes, named, per_tensor_problem, struct_call
from microforge.ops.base import EmitContext, MemoryHints
from microforge.ops.broadcast import BroadcastBinaryOp, BroadcastPlan, use_binary_kernel
from microforge.ops.quant import quantize_multiplier

KERNEL = "comparisons"
LEFT_SHIFT = 8
_SUFFIX = {"float32": "f32", "int32": "s32", "int64": "s64", "bool": "b", "int8": "s8"}
ORDERED_DTYPES = ("float32", "int8", "int32", "int64")
EQUALITY_DTYPES = ("bool", *ORDERED_DTYPES)


@dataclass(frozen=True)
class ComparisonParams:
    dtype: str
    plan: BroadcastPlan
    fields: tuple[int, ...] = ()  # int8: offsets, left shift, multipliers and shifts


def int8_fields(s1: float, zp1: int, s2: float, zp2: int) -> tuple[int, ...]:
    m1, sh1 = quantize_multiplier(float(s1))
    m2, sh2 = quantize_multiplier(float(s2))
    return (-zp1, -zp2, LEFT_SHIFT, m1, sh1, m2, sh2)


class ComparisonOp(BroadcastBinaryOp):
    """One comparison; subclasses set op_type, dtypes and `c_op` (an MF_CMP_* name)."""

    c_op = "MF_CMP_EQUAL"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.broadcast_problem(op, graph)
        if problem:
            return problem
        kinds = dtypes(graph, op)
        if kinds[2] != "bool":
            return f"output is {kinds[2]}, not bool"
        if kinds[0] != kinds[1] or kinds[0] not in self.dtypes:
            return f"dtypes {kinds} not implemented (TFLM: {', '.join(self.dtypes)} inputs)"
        if kinds[0] == "int8":
            for index, what in zip(op.inputs, ("input 1", "input 2"), strict=True):
                t = graph.tensors[index]
                if problem := per_tensor_problem(t, what):
                    return problem
                if not 0.0 < float(t.scale) < 1.0:
                    return (f"int8 {what} scale {t.scale} is not in (0, 1) (TFLM's Prepare "
                            "aborts on it)")
        return None

    def prepare(self, op: Operator, graph: Graph) -> ComparisonParams:
        a, b = (graph.tensors[i] for i in op.inputs)
        plan = self.plan(op, graph)
        if a.dtype != "int8":
            return ComparisonParams(a.dtype, plan)
        return ComparisonParams("int8", plan, int8_fields(a.scale, a.zero_point, b.scale,
                                                          b.zero_point))

    def memory(self, op: Operator, graph: Graph, params: object) -> MemoryHints:
        return MemoryHints()  # the output is bool: never in place of an input

    def emit(self, op: Operator, graph: Graph, params: ComparisonParams,
             ctx: EmitContext) -> None:
        use_binary_kernel(ctx, KERNEL)
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
        if params.dtype == "int8":
            fields = named("input1_offset input2_offset left_shift input1_multiplier "
                           "input1_shift input2_multiplier input2_shift", params.fields)
            ctx.call(struct_call("compare_s8", {"shape": params.plan.c_initializer(),
                                                "op": self.c_op, **fields}, args))
            return
        ctx.call(struct_call("compare", {"shape": params.plan.c_initializer(), "op": self.c_op},
                             args, function=f"mf_compare_{_SUFFIX[params.dtype]}"))
