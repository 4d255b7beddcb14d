"""RELU: int8 and int16 (requantized to the output scale, clamped at the output zero point, as
TFLM's ReluQuantized; int16 needs zero points 0, as TFLM's Prepare) and float32."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import dtypes, pick, struct_call
from microforge.ops.base import EmitContext, register
from microforge.ops.elementwise_common import (
    UnaryElementwiseOp,
    f32_div,
    int8_unary_problem,
    int16_unary_problem,
    quantize_f32,
)
from microforge.ops.quant import INT8_MAX, INT8_MIN, quantize_multiplier

INT16_MIN, INT16_MAX = -32768, 32767


@dataclass(frozen=True)
class RequantizeParams:
    """int8 -> int8 (int16 -> int16): out = clamp(out_zp + (in - in_zp) * multiplier, act_min, act_max)."""

    dtype: str
    input_zero_point: int = 0
    multiplier: int = 0
    shift: int = 0
    output_zero_point: int = 0
    act_min: int = INT8_MIN
    act_max: int = INT8_MAX


def emit_requantize(op: Operator, graph: Graph, p: RequantizeParams, ctx: EmitContext) -> None:
    ctx.use_kernel("requantize_s8")
    fields = {"size": UnaryElementwiseOp.size(op, graph),
              **pick(p, "input_zero_point multiplier shift output_zero_point act_min act_max")}
    function = "mf_requantize_s16" if p.dtype == "int16" else None
    ctx.call(struct_call("requantize_s8", fields,
                         [ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])], function=function))


@register
class Relu(UnaryElementwiseOp):
    op_type = "RELU"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if dtypes(graph, op) == ("int16", "int16"):
            return int16_unary_problem(op, graph)
        return int8_unary_problem(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> RequantizeParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if out.dtype == "float32":
            return RequantizeParams("float32")
        # TFLM's source: multiplier from float(in_scale / out_scale); min = out_zp +
        # round(0 / scale). The TFLM these tests run gives the double quotient's multiplier at
        # int16 (the float one is off by one on some of the 65536 inputs; see docs/ops.md), as
        # for FULLY_CONNECTED; int8 keeps the float quotient (bit-exact on every int8 value).
        ratio = x.scale / out.scale if x.dtype == "int16" else f32_div(x.scale, out.scale)
        multiplier, shift = quantize_multiplier(ratio)
        low, high = (INT16_MIN, INT16_MAX) if out.dtype == "int16" else (INT8_MIN, INT8_MAX)
        lo = max(low, quantize_f32(0.0, out.scale, out.zero_point))
        return RequantizeParams(out.dtype, x.zero_point, multiplier, shift, out.zero_point, lo,
                                high)

    def emit(self, op: Operator, graph: Graph, params: RequantizeParams,
             ctx: EmitContext) -> None:
        if params.dtype == "float32":
            ctx.use_kernel("activation_f32")
            ctx.call(f"mf_relu_f32({self.size(op, graph)}, {ctx.ptr(op.inputs[0])}, "
                     f"{ctx.ptr(op.outputs[0])});")
            return
        emit_requantize(op, graph, params, ctx)
