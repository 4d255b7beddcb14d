"""TFLM's SignalFilterBankSquareRoot (custom op): the rounded integer square root of each
uint64 channel energy (TFLM's Sqrt64, which takes its 32-bit path when the high word is 0),
shifted right by the int32 scalar input, SignalFftAutoScale's scale bits."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.signal_common import SignalOp


@dataclass(frozen=True)
class SquareRootParams:
    num_channels: int


@register
class SignalFilterBankSquareRoot(SignalOp):
    op_type = "CUSTOM:SignalFilterBankSquareRoot"
    dtypes = ("uint64", "int32", "uint32")
    input_dtypes = ("uint64", "int32")
    output_dtypes = ("uint32",)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> SquareRootParams:
        channels = self.rank(op, graph, op.inputs[0], "the input", 1)
        self.rank(op, graph, op.inputs[1], "the scale bits", 0)
        self.rank(op, graph, op.outputs[0], "the output", 1)
        self.same_elements(op, graph, op.inputs[0], op.outputs[0], "input and output")
        return SquareRootParams(channels)

    def cost(self, op: Operator, graph: Graph, params: SquareRootParams) -> Cost:
        return Cost(macs=32 * params.num_channels)  # one bit-by-bit root per channel

    def emit(self, op: Operator, graph: Graph, params: SquareRootParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("signal_common")  # header only
        ctx.use_kernel("signal_filter_bank_square_root")
        ctx.call(f"mf_signal_filter_bank_square_root({params.num_channels}, "
                 f"{ctx.ptr(op.inputs[0])}, {ctx.ptr(op.inputs[1])}, {ctx.ptr(op.outputs[0])});")
