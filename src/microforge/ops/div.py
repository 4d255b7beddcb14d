"""DIV: float32 (a / b, fused activation, broadcasting), int32 (truncating, ops/binary_int32.py)
and int8 as TFLM (DivElementwise: the
divisor made positive, its reciprocal by TFLite's GetReciprocal, a headroom shift per element,
then the multiplier of s1 / (s2 x s_out), taken in float32 as TFLM's Prepare writes it). The
divisor is int8 plus its offset, so GetReciprocal is tabulated here for |divisor| 1..255 (256
int32 + 256 int8 of flash); a divisor at its zero point (a division by zero, undefined in
TFLM) gives the output zero point."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import (
    ACTIVATIONS,
    activation_of,
    dtypes,
    float_activation_range,
    int8_activation_range,
    named,
    per_tensor_problem,
    struct_call,
)
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.binary_int32 import emit_binary_s32, int32_problem, is_int32
from microforge.ops.broadcast import BroadcastBinaryOp, BroadcastPlan, use_binary_kernel
from microforge.ops.elementwise_fixedpoint import (
    _newton_raphson_reciprocal,
    _rounding_half_sum_with_one,
    saturating_rounding_mul_by_pot,
    wrap32,
)
from microforge.ops.quant import quantize_multiplier

MAX_OUTPUT_SHIFT = 22  # beyond, TFLM's total shift could turn positive (undefined there)


def reciprocal_table() -> tuple[np.ndarray, np.ndarray]:
    """TFLite's GetReciprocal(d, 31) for d = 0..255 (entry 0 unused): (Q0.31 value, shift)."""
    d = np.arange(256, dtype=np.int64)
    clz = np.array([32 - int(v).bit_length() for v in d])
    shifted = wrap32((d << np.minimum(clz, 31)) - (1 << 31))
    value = saturating_rounding_mul_by_pot(
        _newton_raphson_reciprocal(_rounding_half_sum_with_one(shifted)), 1)
    value[0] = 0
    return value.astype(np.int32), np.where(d == 0, 0, 31 - clz).astype(np.int8)


@dataclass(frozen=True)
class DivParams:
    dtype: str
    plan: BroadcastPlan
    fields: tuple[int, ...] = ()  # int8: offsets, multiplier, shift, output offset, range


@register
class Div(BroadcastBinaryOp):
    op_type = "DIV"
    dtypes: ClassVar[tuple[str, ...]] = ("float32", "int8", "int32")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.broadcast_problem(op, graph)
        if problem:
            return problem
        if is_int32(op, graph):
            return int32_problem(op, graph)
        if activation_of(op) not in ACTIVATIONS:
            return f"fused activation {activation_of(op)}"
        kinds = dtypes(graph, op)
        if kinds == ("float32",) * 3:
            return None
        if kinds != ("int8",) * 3:
            return f"dtypes {kinds} not implemented (float32, int8 or int32)"
        for i, what in ((op.inputs[0], "input 1"), (op.inputs[1], "input 2"),
                        (op.outputs[0], "output")):
            problem = per_tensor_problem(graph.tensors[i], what)
            if problem:
                return problem
        if self._multiplier(op, graph)[1] > MAX_OUTPUT_SHIFT:
            return "scales whose ratio is over 2^22 (TFLM's arithmetic overflows)"
        return None

    @staticmethod
    def _multiplier(op: Operator, graph: Graph) -> tuple[int, int]:
        s1, s2 = (np.float32(graph.tensors[i].scale) for i in op.inputs[:2])
        so = np.float32(graph.tensors[op.outputs[0]].scale)
        return quantize_multiplier(float(np.float32(s1 / np.float32(s2 * so))))

    def prepare(self, op: Operator, graph: Graph) -> DivParams:
        plan = self.plan(op, graph)
        out = graph.tensors[op.outputs[0]]
        if out.dtype in ("float32", "int32"):
            return DivParams(out.dtype, plan)
        a, b = (graph.tensors[i] for i in op.inputs[:2])
        mult, shift = self._multiplier(op, graph)
        lo, hi = int8_activation_range(op, out)
        return DivParams("int8", plan, (-a.zero_point, -b.zero_point, mult, shift,
                                        out.zero_point, lo, hi))

    def cost(self, op: Operator, graph: Graph, params: object) -> Cost:
        int8 = isinstance(params, DivParams) and params.dtype == "int8"
        return Cost(weight_bytes=256 * 5 if int8 else 0)

    def emit(self, op: Operator, graph: Graph, params: DivParams, ctx: EmitContext) -> None:
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
        if params.dtype == "float32":
            use_binary_kernel(ctx, "div_f32")
            lo, hi = float_activation_range(op)
            ctx.call(struct_call("div_f32", {"shape": params.plan.c_initializer(),
                                             "act_min": lo, "act_max": hi}, args))
            return
        if params.dtype == "int32":
            emit_binary_s32(op, params.plan, ctx)
            return
        use_binary_kernel(ctx, "div_s8")
        value, shift = reciprocal_table()
        fields = named("input1_offset input2_offset output_multiplier output_shift "
                       "output_offset act_min act_max", params.fields)
        ctx.call(struct_call("div_s8", {"shape": params.plan.c_initializer(), **fields,
                                        "reciprocal": ctx.const("div_reciprocal", value),
                                        "reciprocal_shift": ctx.const("div_reciprocal_shift",
                                                                      shift)}, args))
