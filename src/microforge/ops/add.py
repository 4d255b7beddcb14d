"""ADD: int8 (TFLite's left_shift=20 rescaling), int16 (16x8: the same arithmetic with
left_shift=15, kernels/add_sub_s16.c; TFLM's int16 ADD never takes TFLite's power-of-two
path) and float32, broadcasting, fused activation.

SUB shares the integer arithmetic (sub.py); only the compile-time multipliers differ, because
TFLM's SUB Prepare computes them in float32 where ADD's uses double.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import (
    ACTIVATIONS,
    activation_of,
    dtypes,
    per_tensor_problem,
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
from microforge.ops.elementwise_common import activation_range_int8, f32
from microforge.ops.int16_common import activation_range_int16
from microforge.ops.quant import quantize_multiplier

LEFT_SHIFT_INT8 = 20
LEFT_SHIFT = {"int8": LEFT_SHIFT_INT8, "int16": 15}  # TFLM's CalculateOpDataAdd / Sub


@dataclass(frozen=True)
class AddSubParams:
    dtype: str
    plan: BroadcastPlan
    subtract: bool
    # int8 only
    input1_offset: int = 0
    input2_offset: int = 0
    input1_multiplier: int = 0
    input1_shift: int = 0
    input2_multiplier: int = 0
    input2_shift: int = 0
    output_multiplier: int = 0
    output_shift: int = 0
    output_offset: int = 0
    act_min: int = -128
    act_max: int = 127
    left_shift: int = LEFT_SHIFT_INT8


def add_dsp_applies(params: AddSubParams) -> bool:
    """mf_add_sub_s8_dsp (add_sub_s8_dsp.h): int8, same-shape inputs (a flat walk)."""
    return params.dtype == "int8" and params.plan.is_flat


def real_multipliers(s1: float, s2: float, s_out: float, float32_math: bool,
                     left_shift: int = LEFT_SHIFT_INT8) -> tuple[float, float, float]:
    """(input1, input2, output) real multipliers as TFLM's ADD (double) or SUB (float32)."""
    if float32_math:
        twice = f32(2) * max(f32(s1), f32(s2))
        return (float(f32(s1) / twice), float(f32(s2) / twice),
                float(twice / (f32(1 << left_shift) * f32(s_out))))
    twice_d = 2.0 * float(max(f32(s1), f32(s2)))
    return s1 / twice_d, s2 / twice_d, twice_d / ((1 << left_shift) * s_out)


class AddSubBase(BroadcastBinaryOp):
    subtract = False

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
        if kinds not in (("int8",) * 3, ("int16",) * 3):
            return f"dtypes {kinds} not implemented"
        a, b = (graph.tensors[i] for i in op.inputs)
        out = graph.tensors[op.outputs[0]]
        for t, what in ((a, "input 1"), (b, "input 2"), (out, "output")):
            if problem := per_tensor_problem(t, what):
                return problem
        _, _, real_out = real_multipliers(a.scale, b.scale, out.scale, self.subtract,
                                          LEFT_SHIFT[out.dtype])
        if not 0.0 < real_out < 1.0:
            return (f"output scale too small for TFLite's {out.dtype} rescaling "
                    "(multiplier >= 1)")
        return None

    def prepare(self, op: Operator, graph: Graph) -> AddSubParams:
        plan = self.plan(op, graph)
        out = graph.tensors[op.outputs[0]]
        if out.dtype in ("float32", "int32"):
            return AddSubParams(out.dtype, plan, self.subtract)
        a, b = (graph.tensors[i] for i in op.inputs)
        left_shift = LEFT_SHIFT[out.dtype]
        r1, r2, r_out = real_multipliers(a.scale, b.scale, out.scale, self.subtract,
                                         left_shift)
        (m1, s1), (m2, s2), (mo, so) = (quantize_multiplier(r) for r in (r1, r2, r_out))
        if out.dtype == "int16":
            lo, hi = activation_range_int16(op, out)
        else:
            lo, hi = activation_range_int8(activation_of(op), out.scale, out.zero_point)
        return AddSubParams(out.dtype, plan, self.subtract, -a.zero_point, -b.zero_point,
                            m1, s1, m2, s2, mo, so, out.zero_point, lo, hi, left_shift)

    def emit(self, op: Operator, graph: Graph, params: AddSubParams, ctx: EmitContext) -> None:
        if params.dtype == "float32":
            emit_binary_f32(op, params.plan, "MF_BINARY_SUB" if self.subtract else
                            "MF_BINARY_ADD", ctx)
            return
        if params.dtype == "int32":
            emit_binary_s32(op, params.plan, ctx)
            return
        kernel = "add_sub_s16" if params.dtype == "int16" else "add_sub_s8"
        use_binary_kernel(ctx, kernel)
        p = params
        fields = {"shape": p.plan.c_initializer(), "subtract": int(p.subtract),
                  **pick(p, "input1_offset input2_offset left_shift input1_multiplier "
                            "input1_shift input2_multiplier input2_shift output_multiplier "
                            "output_shift output_offset act_min act_max")}
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
        ctx.call(struct_call(kernel, fields, args, function=ctx.kernel_function(kernel, params)))


@register
class Add(AddSubBase):
    op_type = "ADD"
    dtypes = ("float32", "int8", "int16", "int32")
    subtract = False
