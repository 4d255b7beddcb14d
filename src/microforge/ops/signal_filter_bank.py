"""TFLM's SignalFilterBank (custom op): num_channels triangular (mel) filters over a uint32
energy spectrum, accumulated in uint64. Inputs: the spectrum, then the model's int16 tables
(weights, unweights, and per channel + 1 scratch channel: frequency start, weight start,
width). The tables must be constants: the compiler checks every index they make (TFLM reads
them unchecked)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, struct_call
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.signal_common import SignalOp

_TABLES = ("weights", "unweights", "channel frequency starts", "channel weight starts",
           "channel widths")


@dataclass(frozen=True)
class FilterBankParams:
    num_channels: int
    bins_read: int  # products per invoke (both slopes)


@register
class SignalFilterBank(SignalOp):
    op_type = "CUSTOM:SignalFilterBank"
    dtypes = ("uint32", "int16", "uint64")
    input_dtypes = ("uint32", "int16", "int16", "int16", "int16", "int16")
    output_dtypes = ("uint64",)

    def option_problem(self, op: Operator, graph: Graph) -> str | None:
        for index, what in zip(op.inputs[1:], _TABLES, strict=True):
            if not graph.tensors[index].is_constant:
                return f"the {what} are not constant (the compiler checks their indices)"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> FilterBankParams:
        spectrum = self.rank(op, graph, op.inputs[0], "the spectrum", 1)
        sizes = [self.rank(op, graph, i, f"the {what}", 1)
                 for i, what in zip(op.inputs[1:], _TABLES, strict=True)]
        channels = self.rank(op, graph, op.outputs[0], "the output", 1)
        self.int_option(op, "num_channels", channels, channels)
        if sizes[0] != sizes[1]:
            raise self.fail(op, f"{sizes[0]} weights but {sizes[1]} unweights")
        for size, what in zip(sizes[2:], _TABLES[2:], strict=True):
            if size < channels + 1:
                raise self.fail(op, f"the {what} have {size} entries; num_channels "
                                    f"{channels} needs {channels + 1}")
        starts, weight_starts, widths = (
            np.asarray(graph.tensors[i].data, dtype=np.int64)[:channels + 1]
            for i in op.inputs[3:6])
        for c in range(channels + 1):
            s, w, n = int(starts[c]), int(weight_starts[c]), int(widths[c])
            if n < 0 or s < 0 or w < 0 or s + n > spectrum or w + n > sizes[0]:
                raise self.fail(op, f"channel {c} reads spectrum bins {s}..{s + n - 1} and "
                                    f"weights {w}..{w + n - 1}, outside the {spectrum} bins or "
                                    f"{sizes[0]} weights")
        return FilterBankParams(channels, 2 * int(np.clip(widths, 0, None).sum()))

    def cost(self, op: Operator, graph: Graph, params: FilterBankParams) -> Cost:
        tables = sum(graph.tensors[i].nbytes for i in op.inputs[1:])
        return Cost(macs=params.bins_read, weight_bytes=tables)

    def emit(self, op: Operator, graph: Graph, params: FilterBankParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("signal_filter_bank")
        ctx.call(struct_call("signal_filter_bank", pick(params, "num_channels"),
                             [ctx.ptr(i) for i in (*op.inputs, op.outputs[0])]))
