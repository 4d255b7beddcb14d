"""TFLM's SignalFftAutoScale (custom op, int16): the frame shifted left by as many bits as its
largest magnitude leaves free (at most 15), the shift as a second output (int32 scalar), which
SignalFilterBankSquareRoot undoes. Bit-exact with TFLM's MaxAbs16 too where it wraps (a
-32768 sample) and for an all-zero frame (shift 0, as GCC builds of TFLM give)."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import Cost, EmitContext, MemoryHints, register
from microforge.ops.signal_common import SignalOp


@dataclass(frozen=True)
class AutoScaleParams:
    size: int


@register
class SignalFftAutoScale(SignalOp):
    op_type = "CUSTOM:SignalFftAutoScale"
    dtypes = ("int16", "int32")
    input_dtypes = ("int16",)
    output_dtypes = ("int16", "int32")

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.rank(op, graph, op.inputs[0], "the input", 1)
        self.rank(op, graph, op.outputs[0], "the output", 1)
        self.same_elements(op, graph, op.inputs[0], op.outputs[0], "input and output")
        self.rank(op, graph, op.outputs[1], "the scale-bits output", 0)

    def prepare(self, op: Operator, graph: Graph) -> AutoScaleParams:
        return AutoScaleParams(graph.tensors[op.outputs[0]].num_elements)

    def cost(self, op: Operator, graph: Graph, params: AutoScaleParams) -> Cost:
        return Cost(macs=params.size)

    def memory(self, op: Operator, graph: Graph, params: AutoScaleParams) -> MemoryHints:
        return MemoryHints(inplace_input=0)  # the maximum is found before anything is written

    def emit(self, op: Operator, graph: Graph, params: AutoScaleParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("signal_common")  # header only
        ctx.use_kernel("signal_fft_auto_scale")
        ctx.call(f"mf_signal_fft_auto_scale({params.size}, {ctx.ptr(op.inputs[0])}, "
                 f"{ctx.ptr(op.outputs[0])}, {ctx.ptr(op.outputs[1])});")
