"""ADD_N: the elementwise sum of two or more tensors of one shape, float32 and int8 as TFLM's
add_n.cc. float32 adds in input order from 0. int8 needs every input with the same scale and
zero point (TFLM's Prepare); the inputs are rescaled as ADD's (left shift 20, multipliers of
scale / (2 scale) and 2 scale / (2^20 output scale), in double), summed, requantized, with
TFLite's quirk kept: its sum starts from the rescaled input offset, not from 0."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, static_params
from microforge.ops.add import LEFT_SHIFT_INT8, real_multipliers
from microforge.ops.base import Cost, EmitContext, OpDef, register
from microforge.ops.quant import quantize_multiplier

LEFT_SHIFT = LEFT_SHIFT_INT8  # TFLM's kAddNIntegerShift: ADD's 20, and ADD's multipliers


@dataclass(frozen=True)
class AddNParams:
    dtype: str
    size: int
    count: int
    input_offset: int = 0
    input_multiplier: int = 0
    input_shift: int = 0
    output_multiplier: int = 0
    output_shift: int = 0
    output_offset: int = 0


@register
class AddN(OpDef):
    op_type = "ADD_N"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) < 2 or len(op.outputs) != 1:
            return "needs two or more inputs and one output"
        ins = [graph.tensors[i] for i in op.inputs]
        out = graph.tensors[op.outputs[0]]
        if out.dtype not in self.dtypes or any(t.dtype != out.dtype for t in ins):
            return f"dtypes {sorted({t.dtype for t in ins} | {out.dtype})} (float32 or int8)"
        if out.dtype == "int8":
            quants = [t.quant for t in (*ins, out)]
            if any(q is None or q.per_channel for q in quants):
                return "int8 tensors need one scale each"
            first = ins[0]
            if any(t.scale != first.scale or t.zero_point != first.zero_point for t in ins):
                return "int8 inputs with different scales or zero points (TFLM refuses them)"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        out = graph.tensors[op.outputs[0]]
        for i in op.inputs:
            if tuple(graph.tensors[i].shape) != tuple(out.shape):
                raise self.fail(op, f"input tensor {i} has shape {list(graph.tensors[i].shape)}"
                                    f", the output {list(out.shape)}; ADD_N does not broadcast")

    def prepare(self, op: Operator, graph: Graph) -> AddNParams:
        out = graph.tensors[op.outputs[0]]
        size, count = out.num_elements, len(op.inputs)
        if out.dtype == "float32":
            return AddNParams("float32", size, count)
        x = graph.tensors[op.inputs[0]]
        real_in, _, real_out = real_multipliers(x.scale, x.scale, out.scale, float32_math=False)
        in_mult, in_shift = quantize_multiplier(real_in)
        out_mult, out_shift = quantize_multiplier(real_out)
        return AddNParams("int8", size, count, -x.zero_point, in_mult, in_shift, out_mult,
                          out_shift, out.zero_point)

    def cost(self, op: Operator, graph: Graph, params: AddNParams) -> Cost:
        return Cost()

    def emit(self, op: Operator, graph: Graph, params: AddNParams, ctx: EmitContext) -> None:
        ctx.use_kernel("add_n")
        c_type = "float" if params.dtype == "float32" else "int8_t"
        suffix = "f32" if params.dtype == "float32" else "s8"
        fields = {"left_shift": LEFT_SHIFT,
                  **pick(params, "size count input_offset input_multiplier input_shift "
                                 "output_multiplier output_shift output_offset")}
        pointers = ", ".join(ctx.ptr(i) for i in op.inputs)
        ctx.call("{ " + static_params("p", "mf_add_n_params", fields)
                 + f"const {c_type} *const inputs[{params.count}] = {{{pointers}}}; "
                 f"mf_add_n_{suffix}(&p, inputs, {ctx.ptr(op.outputs[0])}); }}")
