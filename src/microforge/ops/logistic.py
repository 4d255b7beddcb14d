"""LOGISTIC: int8 as TFLM's reference (gemmlowp fixed point, tabulated at compile time) and
float32 (TFLite's cut-off formula).

TFLM int8 Prepare: input_multiplier/left_shift = frexp(input_scale * 2^27) (no QuantizeMultiplier
correction), radius = floor(15 * 2^27 / 2^left_shift). Eval: saturate beyond the radius, else
Q4.27 input -> gemmlowp::logistic -> RoundingDivideByPOT(., 23) - 128. The output is assumed
to be scale 1/256, zero point -128 (TFLM checks the zero point only).
"""

from __future__ import annotations

import math

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


class Q4ActivationBase(UnaryElementwiseOp):
    function = "logistic"
    float_kernel = "mf_logistic_f32"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
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

    def prepare(self, op: Operator, graph: Graph) -> Int8TableParams | None:
        x = graph.tensors[op.inputs[0]]
        if x.dtype == "float32":
            return None
        return Int8TableParams(q4_function_table(x.scale, x.zero_point, self.function))

    def emit(self, op: Operator, graph: Graph, params: Int8TableParams | None,
             ctx: EmitContext) -> None:
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
    dtypes = ("float32", "int8")
    function = "logistic"
    float_kernel = "mf_logistic_f32"

