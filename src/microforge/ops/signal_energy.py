"""TFLM's SignalEnergy (custom op): the power re^2 + im^2 of an int16 complex spectrum
(interleaved re, im) as uint32, for bins start_index .. end_index - 1. TFLM leaves the other
bins of its output unwritten (whatever the arena held); here they are 0."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, struct_call
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.signal_common import SignalOp


@dataclass(frozen=True)
class EnergyParams:
    start_index: int
    end_index: int
    size: int


@register
class SignalEnergy(SignalOp):
    op_type = "CUSTOM:SignalEnergy"
    dtypes = ("int16", "uint32")
    input_dtypes = ("int16",)
    output_dtypes = ("uint32",)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> EnergyParams:
        spectrum = self.rank(op, graph, op.inputs[0], "the spectrum", 1)
        size = self.rank(op, graph, op.outputs[0], "the output", 1)
        bins = min(size, spectrum // 2)
        end = self.int_option(op, "end_index", 0, bins)
        start = self.int_option(op, "start_index", 0, end)
        return EnergyParams(start, end, size)

    def cost(self, op: Operator, graph: Graph, params: EnergyParams) -> Cost:
        return Cost(macs=2 * (params.end_index - params.start_index))

    def emit(self, op: Operator, graph: Graph, params: EnergyParams, ctx: EmitContext) -> None:
        ctx.use_kernel("signal_energy")
        ctx.call(struct_call("signal_energy",
                             pick(params, "start_index end_index size"),
                             [ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])]))
