"""TFLM's SignalPCAN (custom op, uint32): per-channel energy normalization. The gain is read
from the model's int16 gain table at the noise estimate (a piecewise quadratic, 4 entries per
power of two), the SNR (filterbank x gain >> snr_shift, 12 fraction bits) is compressed to 6
fraction bits (x^2 / 4 below 2, x - 1 above)."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, struct_call
from microforge.ops.base import Cost, EmitContext, MemoryHints, register
from microforge.ops.signal_common import SignalOp

# TFLM reads gain_lut[4 * msb - 6 + 2] for a noise estimate whose top bit is msb (<= 32)
GAIN_LUT_ENTRIES = 4 * 32 - 6 + 3


@dataclass(frozen=True)
class PcanParams:
    num_channels: int
    snr_shift: int


@register
class SignalPCAN(SignalOp):
    op_type = "CUSTOM:SignalPCAN"
    dtypes = ("uint32", "int16")
    input_dtypes = ("uint32", "uint32", "int16")
    output_dtypes = ("uint32",)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> PcanParams:
        channels = self.rank(op, graph, op.inputs[0], "the input", 1)
        self.rank(op, graph, op.inputs[1], "the noise estimate", 1)
        self.same_elements(op, graph, op.inputs[0], op.inputs[1], "input and noise estimate")
        lut = self.rank(op, graph, op.inputs[2], "the gain table", 1)
        if lut < GAIN_LUT_ENTRIES:
            raise self.fail(op, f"the gain table has {lut} entries; TFLM's SignalPCAN reads "
                                f"up to {GAIN_LUT_ENTRIES}")
        self.rank(op, graph, op.outputs[0], "the output", 1)
        self.same_elements(op, graph, op.inputs[0], op.outputs[0], "input and output")
        return PcanParams(channels, self.int_option(op, "snr_shift", 0, 63))

    def cost(self, op: Operator, graph: Graph, params: PcanParams) -> Cost:
        lut = graph.tensors[op.inputs[2]]
        return Cost(macs=4 * params.num_channels,
                    weight_bytes=lut.nbytes if lut.is_constant else 0)

    def memory(self, op: Operator, graph: Graph, params: PcanParams) -> MemoryHints:
        return MemoryHints(inplace_input=0)  # channel i reads only input i and noise i

    def emit(self, op: Operator, graph: Graph, params: PcanParams, ctx: EmitContext) -> None:
        ctx.use_kernel("signal_common")  # header only
        ctx.use_kernel("signal_pcan")
        ctx.call(struct_call("signal_pcan", pick(params, "num_channels snr_shift"),
                             [ctx.ptr(i) for i in (*op.inputs, op.outputs[0])]))
