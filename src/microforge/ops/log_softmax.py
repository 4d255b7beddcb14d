"""LOG_SOFTMAX over the last axis: float32 (TFLite's reference: max, sum of expf, logf) and
int8 -> int8 as TFLM's LogSoftmaxQuantized (kernels/log_softmax_s8.c).

TFLM's int8 Prepare: the output must be scale 16/256, zero point 127 (compared exactly);
PreprocessLogSoftmaxScalingExp(beta 1, double(input scale), 5 integer bits) gives the Q5.26
input multiplier / left shift (as SOFTMAX) and the reverse scaling divisor
QuantizeMultiplierSmallerThanOneExp((1 << (31 - left_shift)) / double(multiplier));
diff_min = -CalculateInputRadius(5, left_shift). The exp of each input difference (0..-255)
depends on nothing else, so its Q12 value is tabulated here (1 KB) from the same gemmlowp
arithmetic (ops/elementwise_fixedpoint.py); the device sums it per row and takes the
fixed-point log (gemmlowp_fixedpoint.h)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import dtypes, per_tensor_problem, pick, struct_call
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.elementwise_fixedpoint import (
    exp_on_negative_values,
    multiply_by_quantized_multiplier,
    rounding_divide_by_pot,
)
from microforge.ops.math_unary_common import LastAxisFloatOp
from microforge.ops.quant import quantize_multiplier
from microforge.ops.softmax import SCALED_DIFF_INTEGER_BITS, softmax_scaling

OUTPUT_SCALE = np.float32(16.0 / 256)  # TFLM's kOutputScale
OUTPUT_ZERO_POINT = 127


@dataclass(frozen=True)
class LogSoftmaxS8Params:
    rows: int
    depth: int
    input_multiplier: int
    input_left_shift: int
    reverse_scaling_divisor: int
    reverse_scaling_left_shift: int
    diff_min: int
    exp_q12: np.ndarray  # int32[256]: the Q12 exp of input difference -d at index d


def log_softmax_scaling(input_scale: float) -> tuple[int, int, int, int, int]:
    """(multiplier, left shift, reverse divisor, reverse left shift, diff_min), as TFLM."""
    multiplier, left_shift, diff_min = softmax_scaling(1.0, input_scale)
    divisor, reverse_shift = quantize_multiplier((1 << (31 - left_shift)) / float(multiplier))
    return multiplier, left_shift, divisor, reverse_shift, diff_min


def exp_q12_table(multiplier: int, left_shift: int, diff_min: int) -> np.ndarray:
    diffs = -np.arange(256, dtype=np.int64)
    q5 = multiply_by_quantized_multiplier(diffs, multiplier, left_shift)
    exp_q12 = rounding_divide_by_pot(exp_on_negative_values(q5, SCALED_DIFF_INTEGER_BITS), 12)
    return np.where(diffs >= diff_min, exp_q12, 0).astype(np.int32)


@register
class LogSoftmax(LastAxisFloatOp):
    op_type = "LOG_SOFTMAX"
    dtypes = ("float32", "int8")
    kernel = "log_softmax_f32"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if dtypes(graph, op)[:1] + dtypes(graph, op)[-1:] != ("int8", "int8"):
            return super().unsupported_reason(op, graph)
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        problem = per_tensor_problem(x, "input") or per_tensor_problem(out, "output")
        if problem:
            return problem
        if np.float32(out.scale) != OUTPUT_SCALE or out.zero_point != OUTPUT_ZERO_POINT:
            return "int8 output must have scale 16/256 and zero point 127 (TFLM's Prepare)"
        if x.scale * (1 << (31 - SCALED_DIFF_INTEGER_BITS)) < 0.5:
            return "input scale too small for TFLM's fixed-point algorithm (below 2^-27)"
        return None

    def prepare(self, op: Operator, graph: Graph) -> Any:
        x = graph.tensors[op.inputs[0]]
        if x.dtype == "float32":
            return None
        depth = int(x.shape[-1])
        rows = x.num_elements // depth if depth else 0
        m, shift, divisor, reverse_shift, diff_min = log_softmax_scaling(x.scale)
        return LogSoftmaxS8Params(rows, depth, m, shift, divisor, reverse_shift, diff_min,
                                  exp_q12_table(m, shift, diff_min))

    def cost(self, op: Operator, graph: Graph, params: Any) -> Cost:
        if not isinstance(params, LogSoftmaxS8Params):
            return super().cost(op, graph, params)
        return Cost(macs=params.rows * params.depth * 3, weight_bytes=int(params.exp_q12.nbytes))

    def emit(self, op: Operator, graph: Graph, params: Any, ctx: EmitContext) -> None:
        if not isinstance(params, LogSoftmaxS8Params):
            super().emit(op, graph, params, ctx)
            return
        ctx.use_kernel("gemmlowp_fixedpoint")  # header only, included by log_softmax_s8.c
        ctx.use_kernel("log_softmax_s8")
        table = ctx.const(f"op{op.index}_exp_q12", params.exp_q12)
        fields = pick(params, "rows depth input_multiplier input_left_shift "
                              "reverse_scaling_divisor reverse_scaling_left_shift diff_min")
        ctx.call(struct_call("log_softmax_s8", fields,
                             [table, ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])]))
