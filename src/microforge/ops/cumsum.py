"""CUMSUM along a constant axis (negative from the end), with TFLite's `exclusive` and `reverse`
options: float32 summed in order from 0, and int8 as TFLM's cumsum.cc (ADD-style rescaling with
left shift 20 and multipliers computed in double; like ADD_N, each sum starts from the rescaled
input offset). Kernel: runtime/kernels/cumsum.c."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import named, struct_call
from microforge.ops.add import LEFT_SHIFT_INT8, real_multipliers
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import const_ints, outer_inner
from microforge.ops.quant import quantize_multiplier

LEFT_SHIFT = LEFT_SHIFT_INT8  # TFLM's kCumSumIntegerShift: ADD's 20, and ADD's multipliers


@dataclass(frozen=True)
class CumSumParams:
    dtype: str
    fields: tuple[int, ...]  # mf_cumsum_params in order


@register
class CumSum(OpDef):
    op_type = "CUMSUM"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs an input, the axis and one output"
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        axis = const_ints(graph, op, 1)
        if axis is None or len(axis) != 1 or graph.tensors[op.inputs[1]].dtype != "int32":
            return "the axis is not one constant int32 value"
        if not x.shape or not -len(x.shape) <= axis[0] < len(x.shape):
            return f"axis {axis[0]} outside the input's rank {len(x.shape)}"
        if x.dtype != out.dtype or x.dtype not in self.dtypes:
            return f"dtypes {x.dtype}/{out.dtype} (float32 or int8)"
        if x.dtype == "int8" and (x.quant is None or out.quant is None or x.quant.per_channel
                                  or out.quant.per_channel):
            return "int8 tensors need one scale each"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if tuple(x.shape) != tuple(out.shape):
            raise self.fail(op, f"output shape {list(out.shape)} differs from the input's "
                                f"{list(x.shape)}")

    def prepare(self, op: Operator, graph: Graph) -> CumSumParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        axis = (const_ints(graph, op, 1) or [0])[0] % len(x.shape)
        before, after = outer_inner(x.shape, axis)
        flags = (before, int(x.shape[axis]), after, int(bool(op.options.get("exclusive"))),
                 int(bool(op.options.get("reverse"))))
        if x.dtype == "float32":
            return CumSumParams("float32", (*flags, 0, LEFT_SHIFT, 0, 0, 0, 0, 0))
        real_in, _, real_out = real_multipliers(x.scale, x.scale, out.scale, float32_math=False)
        in_mult, in_shift = quantize_multiplier(real_in)
        out_mult, out_shift = quantize_multiplier(real_out)
        return CumSumParams("int8", (*flags, -x.zero_point, LEFT_SHIFT, in_mult, in_shift,
                                     out_mult, out_shift, out.zero_point))

    def emit(self, op: Operator, graph: Graph, params: CumSumParams, ctx: EmitContext) -> None:
        ctx.use_kernel("cumsum")
        suffix = "f32" if params.dtype == "float32" else "s8"
        fields = named("before depth after exclusive reverse input_offset left_shift "
                       "input_multiplier input_shift output_multiplier output_shift output_offset",
                       params.fields)
        ctx.call(struct_call("cumsum", fields, [ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])],
                             function=f"mf_cumsum_{suffix}"))
