"""RELU6: int8, int16 and float32. TFLM's int8 / int16 RELU6 clamps the raw values to [zero, six] computed
with the INPUT's scale and zero point (no requantization): the converter gives the output the
same parameters."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import dtypes
from microforge.ops.base import EmitContext, register
from microforge.ops.elementwise_common import (
    UnaryElementwiseOp,
    int8_unary_problem,
    int16_unary_problem,
    quantize_f32,
)
from microforge.ops.quant import INT8_MAX, INT8_MIN
from microforge.ops.relu import INT16_MAX, INT16_MIN


@dataclass(frozen=True)
class Relu6Params:
    dtype: str
    lower: int = INT8_MIN
    upper: int = INT8_MAX


@register
class Relu6(UnaryElementwiseOp):
    op_type = "RELU6"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if dtypes(graph, op) == ("int16", "int16"):  # TFLM checks no int16 zero point here
            return int16_unary_problem(op, graph, zero_points=False)
        return int8_unary_problem(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> Relu6Params:
        x = graph.tensors[op.inputs[0]]
        if x.dtype == "float32":
            return Relu6Params("float32")
        low, high = (INT16_MIN, INT16_MAX) if x.dtype == "int16" else (INT8_MIN, INT8_MAX)
        # FloatToQuantizedType: round(6 / scale) + zero point, clamped to the type's range
        six = min(max(quantize_f32(6.0, x.scale, x.zero_point), low), high)
        return Relu6Params(x.dtype, x.zero_point, six)

    def emit(self, op: Operator, graph: Graph, params: Relu6Params, ctx: EmitContext) -> None:
        x, out, n = ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]), self.size(op, graph)
        if params.dtype == "float32":
            ctx.use_kernel("activation_f32")
            ctx.call(f"mf_relu6_f32({n}, {x}, {out});")
            return
        ctx.use_kernel("clamp_s8")
        suffix = "s16" if params.dtype == "int16" else "s8"
        ctx.call(f"mf_clamp_{suffix}({n}, {params.lower}, {params.upper}, {x}, {out});")
