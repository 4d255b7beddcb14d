"""TFLM's SignalFilterBankSpectralSubtraction (custom op, uint32): a per-channel noise
estimate, low-pass filtered from frame to frame (smoothing on even channels, the alternate
smoothing on odd ones, 2^spectral_subtraction_bits = 1), subtracted from the signal with a
floor of min_signal_remaining x signal. The estimate is state: TFLM keeps it in a persistent
buffer that its Reset clears; here it is the op's slot in the state area
(`mf_<name>_reset()` clears it, the first invoke starts from 0). The second output is a copy
of the estimate after this frame (SignalPCAN reads it)."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import struct_call
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.signal_common import SignalOp, signal_c_uint

_COEFFICIENTS = ("smoothing", "one_minus_smoothing", "alternate_smoothing",
                 "alternate_one_minus_smoothing", "min_signal_remaining")


@dataclass(frozen=True)
class SpectralSubtractionParams:
    num_channels: int
    smoothing: int
    one_minus_smoothing: int
    alternate_smoothing: int
    alternate_one_minus_smoothing: int
    min_signal_remaining: int
    smoothing_bits: int
    subtraction_bits: int
    clamping: bool


@register
class SignalFilterBankSpectralSubtraction(SignalOp):
    op_type = "CUSTOM:SignalFilterBankSpectralSubtraction"
    dtypes = ("uint32",)
    input_dtypes = ("uint32",)
    output_dtypes = ("uint32", "uint32")

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> SpectralSubtractionParams:
        channels = self.rank(op, graph, op.inputs[0], "the input", 1)
        for position, what in ((0, "the output"), (1, "the noise estimate")):
            if self.rank(op, graph, op.outputs[position], what, 1) != channels:
                raise self.fail(op, f"{what} has {graph.tensors[op.outputs[position]].shape[0]} "
                                    f"channels, the input {channels}")
        self.int_option(op, "num_channels", channels, channels)
        c = {name: self.int_option(op, name) for name in _COEFFICIENTS}
        # shifts of uint32 / uint64 values: beyond 31 / 63 they are undefined in TFLM's C++
        return SpectralSubtractionParams(
            channels, c["smoothing"], c["one_minus_smoothing"], c["alternate_smoothing"],
            c["alternate_one_minus_smoothing"], c["min_signal_remaining"],
            self.int_option(op, "smoothing_bits", 0, 31),
            self.int_option(op, "spectral_subtraction_bits", 0, 63),
            self.bool_option(op, "clamping"))

    def state_bytes(self, op: Operator, graph: Graph) -> int:
        return 4 * graph.tensors[op.inputs[0]].num_elements

    def cost(self, op: Operator, graph: Graph, params: SpectralSubtractionParams) -> Cost:
        return Cost(macs=3 * params.num_channels)

    def emit(self, op: Operator, graph: Graph, params: SpectralSubtractionParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("signal_spectral_subtraction")
        p = params
        unsigned = ("smoothing one_minus_smoothing alternate_smoothing "
                    "alternate_one_minus_smoothing min_signal_remaining smoothing_bits "
                    "subtraction_bits")
        fields = {"num_channels": p.num_channels, "clamping": int(p.clamping),
                  **{k: signal_c_uint(int(getattr(p, k))) for k in unsigned.split()}}
        ctx.call(struct_call("signal_spectral_subtraction", fields,
                             [ctx.ptr(op.inputs[0]), ctx.op_state("uint32_t"),
                              ctx.ptr(op.outputs[0]), ctx.ptr(op.outputs[1])]))
