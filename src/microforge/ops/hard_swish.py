"""HARD_SWISH: int8 as TFLM's reference (int16 fixed point, tabulated at compile time) and
float32 (x * min(6, max(0, x + 3)) / 6, as TFLite).

TFLM int8 Prepare (all in float32, then QuantizeMultiplier and a rounding down-scale of the
multipliers to int16): hires_input_scale = input_scale / 128, reluish_scale = 3 / 32768,
output multiplier = hires / output_scale (exponent must be <= 0), reluish multiplier =
hires / reluish_scale. Eval per value: a "reluish" factor in [0, 1] (Q0.15) times the input on
the output scale, each step with TFLite's int16 saturating/rounding rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, register
from microforge.ops.elementwise_common import (
    Int8TableParams,
    UnaryElementwiseOp,
    emit_int8_table,
    f32,
    int8_table,
    int8_unary_problem,
)
from microforge.ops.elementwise_fixedpoint import (
    INT16_MAX,
    INT16_MIN,
    INT32_MAX,
    all_int8,
    rounding_divide_by_pot,
    srdhm16,
    trunc_div,
    wrap16,
)
from microforge.ops.quant import quantize_multiplier


@dataclass(frozen=True)
class HardSwishQuant:
    output_multiplier: int  # int16
    output_exponent: int
    reluish_multiplier: int  # int16
    reluish_exponent: int


def _int16_multiplier(multiplier_int32: int) -> int:
    """TFLite DownScaleInt32ToInt16Multiplier."""
    if multiplier_int32 >= INT32_MAX - (1 << 15):
        return INT16_MAX
    return (multiplier_int32 + (1 << 15)) >> 16


def hard_swish_quant(input_scale: float, output_scale: float) -> HardSwishQuant:
    hires = f32(1.0 / 128.0) * f32(input_scale)
    reluish_scale = f32(3.0) / f32(32768.0)
    om, oe = quantize_multiplier(float(hires / f32(output_scale)))
    rm, re = quantize_multiplier(float(hires / reluish_scale))
    return HardSwishQuant(_int16_multiplier(om), oe, _int16_multiplier(rm), re)


def _saturating_left_shift16(x: np.ndarray, amount: int) -> np.ndarray:
    return np.clip(np.asarray(x, np.int64) * (1 << amount), INT16_MIN, INT16_MAX)


def hard_swish_table(q: HardSwishQuant, input_zero_point: int,
                     output_zero_point: int) -> np.ndarray:
    """TFLite reference_ops::HardSwish<int8_t> for every int8 input value."""
    x = wrap16(all_int8() - input_zero_point)
    hires = wrap16(x * (1 << 7))
    on_output_scale = srdhm16(hires, q.output_multiplier)
    reluish = hires
    if q.reluish_exponent > 0:
        reluish = _saturating_left_shift16(reluish, q.reluish_exponent - 1)
    reluish = srdhm16(reluish, q.reluish_multiplier)
    if q.reluish_exponent > 0:
        reluish = _saturating_left_shift16(reluish, 1)
    if q.reluish_exponent < 0:
        reluish = rounding_divide_by_pot(reluish, -q.reluish_exponent, bits=16)
    reluish = wrap16((reluish + (1 << 15)) >> 1)
    # SaturatingDoublingHighMul (no rounding): (a * b) / 2^15 truncated, int16
    product = np.where((reluish == INT16_MIN) & (on_output_scale == INT16_MIN), INT16_MAX,
                       wrap16(trunc_div(reluish * on_output_scale, 1 << 15)))
    out = rounding_divide_by_pot(product, -q.output_exponent, bits=16)
    out = wrap16(out + output_zero_point)
    return int8_table(out)


@register
class HardSwish(UnaryElementwiseOp):
    op_type = "HARD_SWISH"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = int8_unary_problem(op, graph)
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if problem or x.dtype == "float32":
            return problem
        if hard_swish_quant(x.scale, out.scale).output_exponent > 0:
            return "output scale below input_scale / 128 (TFLM rejects it too)"
        return None

    def prepare(self, op: Operator, graph: Graph) -> Int8TableParams | None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype == "float32":
            return None
        quant = hard_swish_quant(x.scale, out.scale)
        return Int8TableParams(hard_swish_table(quant, x.zero_point, out.zero_point))

    def emit(self, op: Operator, graph: Graph, params: Int8TableParams | None,
             ctx: EmitContext) -> None:
        if params is not None:
            emit_int8_table(op, graph, params, ctx)
            return
        ctx.use_kernel("activation_f32")
        ctx.call(f"mf_hard_swish_f32({self.size(op, graph)}, {ctx.ptr(op.inputs[0])}, "
                 f"{ctx.ptr(op.outputs[0])});")
