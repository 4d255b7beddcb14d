"""DEQUANTIZE: int8/int16 -> float32, scale * (q - zero point) (one float rounding, as TFLM)."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_float, dtypes, per_tensor_problem
from microforge.ops.base import EmitContext, MemoryHints, register
from microforge.ops.elementwise_common import UnaryElementwiseOp


@dataclass(frozen=True)
class DequantizeParams:
    scale: float
    zero_point: int


@register
class Dequantize(UnaryElementwiseOp):
    op_type = "DEQUANTIZE"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        kinds = dtypes(graph, op)
        if kinds not in (("int8", "float32"), ("int16", "float32")):
            return f"dtypes {kinds} not implemented (int8/int16 -> float32 only)"
        return per_tensor_problem(graph.tensors[op.inputs[0]], "input")

    def prepare(self, op: Operator, graph: Graph) -> DequantizeParams:
        x = graph.tensors[op.inputs[0]]
        return DequantizeParams(x.scale, x.zero_point)

    def memory(self, op: Operator, graph: Graph, params: object) -> MemoryHints:
        return MemoryHints()  # the output (4 bytes a value) is larger than the input

    def emit(self, op: Operator, graph: Graph, params: DequantizeParams,
             ctx: EmitContext) -> None:
        suffix = "s16" if graph.tensors[op.inputs[0]].dtype == "int16" else "s8"
        ctx.use_kernel(f"dequantize_{suffix}_f32")
        ctx.call(f"mf_dequantize_{suffix}_f32({self.size(op, graph)}, {c_float(params.scale)}, "
                 f"{params.zero_point}, {ctx.ptr(op.inputs[0])}, {ctx.ptr(op.outputs[0])});")
