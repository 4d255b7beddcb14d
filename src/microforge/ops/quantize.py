"""QUANTIZE: float32 -> int8 (round(x / scale) + zero point, in float) and int8 -> int8
(requantize with one multiplier in_scale / out_scale, as TFLM's Requantize).

In-place is safe for float32 -> int8 too: byte i is written after float i (bytes 4i..) is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_float, dtypes, per_tensor_problem
from microforge.ops.base import EmitContext, register
from microforge.ops.elementwise_common import UnaryElementwiseOp
from microforge.ops.quant import quantize_multiplier
from microforge.ops.relu import RequantizeParams, emit_requantize


@dataclass(frozen=True)
class QuantizeFloatParams:
    scale: float
    zero_point: int


@register
class Quantize(UnaryElementwiseOp):
    op_type = "QUANTIZE"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        kinds = dtypes(graph, op)
        if kinds not in (("float32", "int8"), ("int8", "int8")):
            return f"dtypes {kinds} not implemented (float32/int8 -> int8 only)"
        if kinds[0] == "int8" and (problem := per_tensor_problem(
                graph.tensors[op.inputs[0]], "input")):
            return problem
        return per_tensor_problem(graph.tensors[op.outputs[0]], "output")

    def prepare(self, op: Operator, graph: Graph) -> QuantizeFloatParams | RequantizeParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype == "float32":
            return QuantizeFloatParams(out.scale, out.zero_point)
        multiplier, shift = quantize_multiplier(x.scale / out.scale)
        return RequantizeParams("int8", x.zero_point, multiplier, shift, out.zero_point)

    def emit(self, op: Operator, graph: Graph, params: QuantizeFloatParams | RequantizeParams,
             ctx: EmitContext) -> None:
        if isinstance(params, RequantizeParams):
            emit_requantize(op, graph, params, ctx)
            return
        ctx.use_kernel("quantize_f32_s8")
        ctx.call(f"mf_quantize_f32_s8({self.size(op, graph)}, {c_float(params.scale)}, "
                 f"{params.zero_point}, {ctx.ptr(op.inputs[0])}, {ctx.ptr(op.outputs[0])});")

