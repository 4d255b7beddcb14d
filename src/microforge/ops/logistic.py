"""LOGISTIC: int8 as TFLM's reference (gemmlowp fixed point, tabulated at compile time), int16
(16x8: TFLite's int16 table with interpolation, kernels/sigmoid_tanh_s16.c) and float32
(TFLite's cut-off formula).

TFLM int8 Prepare: input_multiplier/left_shift = frexp(input_scale * 2^27) (no QuantizeMultiplier
correction), radius = floor(15 * 2^27 / 2^left_shift). Eval: saturate beyond the radius, else
Q4.27 input -> gemmlowp::logistic -> RoundingDivideByPOT(., 23) - 128. The output is assumed
to be scale 1/256, zero point -128 (TFLM checks the zero point only).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, register
from microforge.ops.elementwise_common import (
    Int8TableParams,
    UnaryElementwiseOp,
    emit_int8_table,
    int8_table,
    int8_unary_problem,
    use_libm,
)
from microforge.ops.elementwise_fixedpoint import (
    all_int8,
    logistic_q4,
    multiply_by_quantized_multiplier,
    rounding_divide_by_pot,
    tanh_q4,
    wrap32,
)
from microforge.ops.quant import round_half_away

INPUT_INTEGER_BITS = 4


def q4_input_rescale(input_scale: float) -> tuple[int, int, int]:
    """(multiplier, left_shift, radius) exactly as TFLM's LOGISTIC/TANH int8 Prepare."""
    q, left_shift = math.frexp(input_scale * float(1 << (31 - INPUT_INTEGER_BITS)))
    multiplier = int(wrap32(np.int64(round_half_away(q * (1 << 31)))))
    radius = math.floor(((1 << INPUT_INTEGER_BITS) - 1) * float(1 << (31 - INPUT_INTEGER_BITS))
                        / 2.0**left_shift)
    return multiplier, left_shift, radius


def q4_function_table(input_scale: float, input_zero_point: int, function: str) -> np.ndarray:
    """int8 table of TFLM's LOGISTIC ("logistic") or TANH ("tanh") for every input value."""
    multiplier, left_shift, radius = q4_input_rescale(input_scale)
    x = all_int8() - input_zero_point
    x_q4 = multiply_by_quantized_multiplier(np.clip(x, -radius, radius), multiplier, left_shift)
    if function == "logistic":
        inside = rounding_divide_by_pot(logistic_q4(x_q4), 23) - 128
    else:
        inside = rounding_divide_by_pot(tanh_q4(x_q4), 24)
    values = np.where(x <= -radius, -128, np.where(x >= radius, 127, inside))
    return int8_table(values)


@dataclass(frozen=True)
class Int16ActivationParams:
    multiplier: int  # 0: the power-of-two case, x * (3 << shift)
    shift: int


def int16_input_rescale(input_scale: float, function: str) -> tuple[int, int] | None:
    """(multiplier, shift) of TFLM's int16 LOGISTIC/TANH Prepare, None when it refuses."""
    log = math.log2(float(np.float32(input_scale)))
    rounded = round(log)
    shift = (15 - 3) + int(rounded)
    pot = abs(log - rounded) < 1e-3 and shift in ((0,) if function == "logistic" else (0, 1))
    if pot:
        return 0, shift
    multiplier, shift = float(np.float32(input_scale)) * 4096.0 * 3.0, 0
    while multiplier <= 32767.0 / 2.0 and shift <= 30:
        shift += 1
        multiplier *= 2.0
    return (int(multiplier), shift) if int(multiplier) <= 32767 else None


def int16_problem(op: Operator, graph: Graph, function: str) -> str | None:
    x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    if out.dtype != "int16" or x.quant is None or out.quant is None:
        return "int16 needs an int16 output and quantized tensors"
    if x.quant.per_channel or out.quant.per_channel or x.zero_point or out.zero_point:
        return "int16 tensors need one scale and zero point 0 (as TFLM)"
    if abs(math.log2(float(np.float32(out.scale))) + 15) >= 1e-3:
        return f"int16 output scale {out.scale:g} (TFLM requires 2^-15)"
    if not x.scale > 0 or int16_input_rescale(x.scale, function) is None:
        return f"int16 input scale {x.scale:g} out of TFLM's range"
    return None


class Q4ActivationBase(UnaryElementwiseOp):
    function = "logistic"
    float_kernel = "mf_logistic_f32"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if graph.tensors[op.inputs[0]].dtype == "int16":
            return int16_problem(op, graph, self.function)
        problem = int8_unary_problem(op, graph)
        if problem or graph.tensors[op.inputs[0]].dtype == "float32":
            return problem
        out = graph.tensors[op.outputs[0]]
        if self.function == "logistic" and out.zero_point != -128:
            return f"int8 output zero point {out.zero_point} (TFLM requires -128)"
        _, left_shift, _ = q4_input_rescale(graph.tensors[op.inputs[0]].scale)
        if left_shift < 0:
            return "input scale below 2^-28 (TFLM cannot handle it either)"
        return None

    def prepare(self, op: Operator, graph: Graph
                ) -> Int8TableParams | Int16ActivationParams | None:
        x = graph.tensors[op.inputs[0]]
        if x.dtype == "float32":
            return None
        if x.dtype == "int16":
            rescale = int16_input_rescale(x.scale, self.function)
            assert rescale is not None
            return Int16ActivationParams(*rescale)
        return Int8TableParams(q4_function_table(x.scale, x.zero_point, self.function))

    def emit(self, op: Operator, graph: Graph,
             params: Int8TableParams | Int16ActivationParams | None, ctx: EmitContext) -> None:
        if isinstance(params, Int16ActivationParams):
            ctx.use_kernel("sigmoid_tanh_s16")
            kernel = "mf_sigmoid_s16" if self.function == "logistic" else "mf_tanh_s16"
            ctx.call(f"{kernel}({self.size(op, graph)}, {params.multiplier}, {params.shift}, "
                     f"{ctx.ptr(op.inputs[0])}, {ctx.ptr(op.outputs[0])});")
            return
        if params is not None:
            emit_int8_table(op, graph, params, ctx)
            return
        ctx.use_kernel("logistic_tanh_f32")
        use_libm(ctx)
        ctx.call(f"{self.float_kernel}({self.size(op, graph)}, {ctx.ptr(op.inputs[0])}, "
                 f"{ctx.ptr(op.outputs[0])});")


@register
class Logistic(Q4ActivationBase):
    op_type = "LOGISTIC"
    dtypes = ("float32", "int8", "int16")
    function = "logistic"
    float_kernel = "mf_logistic_f32"

