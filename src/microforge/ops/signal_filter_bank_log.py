"""TFLM's SignalFilterBankLog (custom op, uint32 -> int16): output_scale x ln(input <<
input_correction_bits) in fixed point (TFLM's Log32: log2 from the top bit plus a 128-segment
interpolated correction, times ln 2 in Q16), 0 below 2, saturated at 32767.

The correction table, round(2^16 (log2(1 + f) - f)) at f = k / 128 plus a trailing 0, is
computed here and stored in flash (260 bytes); a test checks it against TFLM's results."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import struct_call
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.signal_common import SignalOp, signal_c_uint

LOG_SEGMENTS = 128


def log_correction_table() -> np.ndarray:
    """The 130 uint16 entries kernels/signal_filter_bank_log.c interpolates."""
    values = [round(65536 * (math.log2(1 + k / LOG_SEGMENTS) - k / LOG_SEGMENTS))
              for k in range(LOG_SEGMENTS + 1)]
    return np.asarray([*values, 0], dtype=np.uint16)


@dataclass(frozen=True)
class FilterBankLogParams:
    num_channels: int
    output_scale: int
    correction_bits: int


@register
class SignalFilterBankLog(SignalOp):
    op_type = "CUSTOM:SignalFilterBankLog"
    dtypes = ("uint32", "int16")
    input_dtypes = ("uint32",)
    output_dtypes = ("int16",)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> FilterBankLogParams:
        channels = self.rank(op, graph, op.inputs[0], "the input", 1)
        self.rank(op, graph, op.outputs[0], "the output", 1)
        self.same_elements(op, graph, op.inputs[0], op.outputs[0], "input and output")
        return FilterBankLogParams(channels, self.int_option(op, "output_scale"),
                                   self.int_option(op, "input_correction_bits", 0, 31))

    def cost(self, op: Operator, graph: Graph, params: FilterBankLogParams) -> Cost:
        return Cost(macs=4 * params.num_channels, weight_bytes=2 * (LOG_SEGMENTS + 2))

    def emit(self, op: Operator, graph: Graph, params: FilterBankLogParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("signal_common")  # header only
        ctx.use_kernel("signal_filter_bank_log")
        table = ctx.const("log_correction", log_correction_table())
        ctx.call(struct_call("signal_filter_bank_log",
                             {"num_channels": params.num_channels,
                              "output_scale": signal_c_uint(params.output_scale),
                              "correction_bits": signal_c_uint(params.correction_bits)},
                             [ctx.ptr(op.inputs[0]), table, ctx.ptr(op.outputs[0])]))
