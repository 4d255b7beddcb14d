"""DEQUANTIZE: int8/int16/uint8 -> float32, scale * (q - zero point) (one float rounding, as
TFLM; uint8 is the third input type of TFLM's dequantize.cc, e.g. a uint8 model input)."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_float, dtypes, per_tensor_problem
from microforge.ops.base import EmitContext, MemoryHints, register
from microforge.ops.elementwise_common import UnaryElementwiseOp

_SUFFIX = {"int8": "s8", "int16": "s16", "uint8": "u8"}  # mf_dequantize_<suffix>_f32


@dataclass(frozen=True)
class DequantizeParams:
    scale: float
    zero_point: int


@register
class Dequantize(UnaryElementwiseOp):
    op_type = "DEQUANTIZE"
    dtypes = ("float32", "int8", "int16", "uint8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        kinds = dtypes(graph, op)
        if kinds[-1] != "float32" or kinds[0] not in _SUFFIX:
            return f"dtypes {kinds} not implemented (int8/int16/uint8 -> float32 only)"
        return per_tensor_problem(graph.tensors[op.inputs[0]], "input")

    def prepare(self, op: Operator, graph: Graph) -> DequantizeParams:
        x = graph.tensors[op.inputs[0]]
        return DequantizeParams(x.scale, x.zero_point)

    def memory(self, op: Operator, graph: Graph, params: object) -> MemoryHints:
        return MemoryHints()  # the output (4 bytes a value) is larger than the input

    def emit(self, op: Operator, graph: Graph, params: DequantizeParams,
             ctx: EmitContext) -> None:
        suffix = _SUFFIX[graph.tensors[op.inputs[0]].dtype]
        ctx.use_kernel(f"dequantize_{suffix}_f32")
        ctx.call(f"mf_dequantize_{suffix}_f32({self.size(op, graph)}, {c_float(params.scale)}, "
                 f"{params.zero_point}, {ctx.ptr(op.inputs[0])}, {ctx.ptr(op.outputs[0])});")
