"""RELU6: int8 and float32. TFLM's int8 RELU6 clamps the raw values to [zero, six] computed
with the INPUT's scale and zero point (no requantization): the converter gives the output the
same parameters."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, register
from microforge.ops.elementwise_common import UnaryElementwiseOp, int8_unary_problem, quantize_f32
from microforge.ops.quant import INT8_MAX, INT8_MIN


@dataclass(frozen=True)
class Relu6Params:
    dtype: str
    lower: int = INT8_MIN
    upper: int = INT8_MAX


@register
class Relu6(UnaryElementwiseOp):
    op_type = "RELU6"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        return int8_unary_problem(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> Relu6Params:
        x = graph.tensors[op.inputs[0]]
        if x.dtype == "float32":
            return Relu6Params("float32")
        six = min(max(quantize_f32(6.0, x.scale, x.zero_point), INT8_MIN), INT8_MAX)
        return Relu6Params("int8", x.zero_point, six)

    def emit(self, op: Operator, graph: Graph, params: Relu6Params, ctx: EmitContext) -> None:
        x, out, n = ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]), self.size(op, graph)
        if params.dtype == "float32":
            ctx.use_kernel("activation_f32")
            ctx.call(f"mf_relu6_f32({n}, {x}, {out});")
            return
        ctx.use_kernel("clamp_s8")
        ctx.call(f"mf_clamp_s8({n}, {params.lower}, {params.upper}, {x}, {out});")
