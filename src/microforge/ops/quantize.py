"""QUANTIZE: float32 -> int8/int16 (round(x / scale) + zero point, in float) and the
requantizations int8 -> int8, int16 -> int16, int16 -> int8, int8 -> int16 (one multiplier
QuantizeMultiplier(double(in_scale) / double(out_scale)), as TFLM's Requantize).

In-place is safe for float32 -> int8/int16 and for the requantizations that do not widen:
value i is written after input value i is read. int8 -> int16 is never in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_float, dtypes, per_tensor_problem, pick, struct_call
from microforge.ops.base import EmitContext, MemoryHints, register
from microforge.ops.elementwise_common import UnaryElementwiseOp
from microforge.ops.quant import quantize_multiplier
from microforge.ops.relu import RequantizeParams, emit_requantize


@dataclass(frozen=True)
class QuantizeFloatParams:
    scale: float
    zero_point: int


@dataclass(frozen=True)
class Requantize16Params:
    """A requantization with an int16 side: mf_requantize_<in>_<out> of quantize_s16.c."""

    kernel: str  # requantize_s16_s16 | requantize_s16_s8 | requantize_s8_s16
    input_zero_point: int
    multiplier: int
    shift: int
    output_zero_point: int


IMPLEMENTED = (("float32", "int8"), ("int8", "int8"), ("float32", "int16"),
               ("int16", "int16"), ("int16", "int8"), ("int8", "int16"))
_SUFFIX = {"int8": "s8", "int16": "s16"}


@register
class Quantize(UnaryElementwiseOp):
    op_type = "QUANTIZE"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        kinds = dtypes(graph, op)
        if kinds not in IMPLEMENTED:
            return (f"dtypes {kinds} not implemented (float32 -> int8/int16, int8/int16 -> "
                    "int8/int16 only)")
        if kinds[0] != "float32" and (problem := per_tensor_problem(
                graph.tensors[op.inputs[0]], "input")):
            return problem
        return per_tensor_problem(graph.tensors[op.outputs[0]], "output")

    def prepare(self, op: Operator, graph: Graph
                ) -> QuantizeFloatParams | RequantizeParams | Requantize16Params:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype == "float32":
            return QuantizeFloatParams(out.scale, out.zero_point)
        multiplier, shift = quantize_multiplier(x.scale / out.scale)
        if x.dtype == out.dtype == "int8":
            return RequantizeParams("int8", x.zero_point, multiplier, shift, out.zero_point)
        kernel = f"requantize_{_SUFFIX[x.dtype]}_{_SUFFIX[out.dtype]}"
        return Requantize16Params(kernel, x.zero_point, multiplier, shift, out.zero_point)

    def memory(self, op: Operator, graph: Graph, params: object) -> MemoryHints:
        if isinstance(params, Requantize16Params) and params.kernel == "requantize_s8_s16":
            return MemoryHints()  # the output (2 bytes a value) is wider than the input
        return MemoryHints(inplace_input=0)

    def emit(self, op: Operator, graph: Graph,
             params: QuantizeFloatParams | RequantizeParams | Requantize16Params,
             ctx: EmitContext) -> None:
        x, out = ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])
        if isinstance(params, RequantizeParams):
            emit_requantize(op, graph, params, ctx)
            return
        if isinstance(params, Requantize16Params):
            ctx.use_kernel("quantize_s16")
            fields = {"size": self.size(op, graph),
                      **pick(params, "input_zero_point multiplier shift output_zero_point")}
            ctx.call(struct_call("requantize_s16", fields, [x, out],
                                 function=f"mf_{params.kernel}"))
            return
        suffix = _SUFFIX[graph.tensors[op.outputs[0]].dtype]
        ctx.use_kernel("quantize_f32_s8" if suffix == "s8" else "quantize_s16")
        ctx.call(f"mf_quantize_f32_{suffix}({self.size(op, graph)}, {c_float(params.scale)}, "
                 f"{params.zero_point}, {x}, {out});")

