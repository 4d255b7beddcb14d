"""CAST (from float32, int8, int16, int32, uint32, bool to float32, int8, int16, int32, uint32),
as TFLM's Cast (uint32 is the energy spectrum of TFLM's signal ops).

TFLM applies static_cast to the raw values (quantization parameters are ignored): integers
narrow modulo 2^bits, floats truncate toward zero, int32 -> float rounds to nearest, bool is 0/1.
A float outside the target's range is undefined behaviour there; the kernel saturates it (NaN
gives 0), so only in-range floats are compared with TFLM.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register

KERNEL = "cast"
_FROM = {"float32": "f32", "int8": "s8", "int16": "s16", "int32": "s32", "uint32": "u32",
         "bool": "b"}
_TO = {"float32": "f32", "int8": "s8", "int16": "s16", "int32": "s32", "uint32": "u32"}


@dataclass(frozen=True)
class CastParams:
    function: str
    count: int


@register
class Cast(OpDef):
    op_type = "CAST"
    dtypes = tuple(_FROM)

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 1 or len(op.outputs) != 1:
            return "needs one input and one output"
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype not in _FROM:
            return f"{x.dtype} input (TFLM casts from {', '.join(_FROM)})"
        if out.dtype not in _TO:
            return f"{out.dtype} output (TFLM casts to {', '.join(_TO)})"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.num_elements != out.num_elements:
            raise self.fail(op, f"input {list(x.shape)} and output {list(out.shape)} have "
                                "different element counts")

    def prepare(self, op: Operator, graph: Graph) -> CastParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        return CastParams(f"mf_cast_{_FROM[x.dtype]}_{_TO[out.dtype]}", out.num_elements)

    def emit(self, op: Operator, graph: Graph, params: CastParams, ctx: EmitContext) -> None:
        ctx.use_kernel(KERNEL)
        ctx.call(f"{params.function}({ctx.ptr(op.inputs[0])}, {ctx.ptr(op.outputs[0])}, "
                 f"{params.count});")
