"""SOFTMAX over the last axis: int8 -> int8 (TFLite's fixed-point algorithm), int16 -> int16
(16x8: TFLM's SoftmaxInt16 with its exp and reciprocal tables, computed here at compile time
by ops/softmax_s16_tables.py; kernels/softmax_s16.c) and float32."""

from __future__ import annotations

import math
from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_float, pick, struct_call
from microforge.ops.base import Cost, EmitContext, OpDef, register
from microforge.ops.quant import quantize_multiplier
from microforge.ops.softmax_s16_tables import softmax_int16_tables

SCALED_DIFF_INTEGER_BITS = 5  # the exp() input is Q5.26, as in TFLite


@dataclass(frozen=True)
class SoftmaxParams:
    dtype: str
    rows: int
    depth: int
    beta: float
    input_multiplier: int = 0
    input_left_shift: int = 0
    diff_min: int = 0


def int16_input_scaling(beta: float, input_scale: float) -> tuple[int, int]:
    """TFLM's int16 Prepare: QuantizeMultiplier(in_scale * beta / (10 / 65535)), so that input
    differences of [-65535, 0] map to [-10, 0]."""
    return quantize_multiplier(input_scale * beta / (10.0 / 65535.0))


def softmax_scaling(beta: float, input_scale: float) -> tuple[int, int, int]:
    """(multiplier, left shift, diff_min): TFLite's PreprocessSoftmaxScaling and
    CalculateInputRadius for 5 integer bits, in double precision."""
    bits = SCALED_DIFF_INTEGER_BITS
    real = min(beta * input_scale * (1 << (31 - bits)), float((1 << 31) - 1))
    multiplier, shift = quantize_multiplier(real)
    if shift < 0:
        raise ValueError("softmax input scaling below 1")
    radius = ((1 << bits) - 1) * (1 << (31 - bits)) / (1 << shift)
    return multiplier, shift, -int(math.floor(radius))


@register
class Softmax(OpDef):
    op_type = "SOFTMAX"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if (x.dtype, out.dtype) == ("float32", "float32"):
            return None
        if (x.dtype, out.dtype) == ("int8", "int8"):
            if x.quant is None or out.quant is None:
                return "int8 tensors without quantization parameters"
            if out.zero_point != -128 or abs(out.scale - 1.0 / 256) > 1e-8:
                return "int8 output must have scale 1/256 and zero point -128"
            if float(op.options.get("beta", 1.0)) * x.scale * (1 << 26) < 1.0:
                return "input scale too small for the fixed-point algorithm"
            return None
        if (x.dtype, out.dtype) == ("int16", "int16"):
            if x.quant is None or out.quant is None or x.quant.per_channel:
                return "int16 tensors need per-tensor quantization parameters"
            if x.zero_point != 0 or out.zero_point != 0:
                return "int16 input and output need zero point 0 (as TFLM)"
            if abs(out.scale - 1.0 / 32768) > 0.001 / 32768:
                return f"int16 output scale {out.scale:g} (TFLM requires 1/32768)"
            return None
        return f"dtypes {(x.dtype, out.dtype)} not implemented (int8 -> int16 neither)"

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if tuple(x.shape) != tuple(out.shape) or not x.shape:
            raise self.fail(op, f"input {list(x.shape)} and output {list(out.shape)} must have "
                                "the same non-scalar shape")

    def prepare(self, op: Operator, graph: Graph) -> SoftmaxParams:
        x = graph.tensors[op.inputs[0]]
        depth = x.shape[-1]
        rows = x.num_elements // depth if depth else 0
        beta = float(op.options.get("beta", 1.0))
        if x.dtype == "float32":
            return SoftmaxParams("float32", rows, depth, beta)
        if x.dtype == "int16":
            multiplier, shift = int16_input_scaling(beta, x.scale)
            return SoftmaxParams("int16", rows, depth, beta, multiplier, shift)
        multiplier, shift, diff_min = softmax_scaling(beta, x.scale)
        return SoftmaxParams("int8", rows, depth, beta, multiplier, shift, diff_min)

    def cost(self, op: Operator, graph: Graph, params: SoftmaxParams) -> Cost:
        return Cost(macs=params.rows * params.depth * 3)

    def emit(self, op: Operator, graph: Graph, params: SoftmaxParams, ctx: EmitContext) -> None:
        x, out = ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])
        if params.dtype == "float32":
            ctx.use_kernel("softmax_f32")
            ctx.call(struct_call("softmax_f32", {**pick(params, "rows depth"),
                                                 "beta": c_float(params.beta)},
                                 [x, out]))
            return
        if params.dtype == "int16":
            exp_lut, recip_lut = softmax_int16_tables()
            ctx.use_kernel("softmax_s16")
            fields = {**pick(params, "rows depth input_multiplier input_left_shift"),
                      "exp_lut": ctx.const("softmax_exp_lut", exp_lut),
                      "recip_lut": ctx.const("softmax_recip_lut", recip_lut)}
            ctx.call(struct_call("softmax_s16", fields, [x, out]))
            return
        ctx.use_kernel("gemmlowp_fixedpoint")  # header only, included by softmax_s8.c
        ctx.use_kernel("softmax_s8")
        fields = pick(params, "rows depth input_multiplier input_left_shift diff_min")
        ctx.call(struct_call("softmax_s8", fields, [x, out]))
