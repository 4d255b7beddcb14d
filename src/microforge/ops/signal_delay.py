"""TFLM's SignalDelay (custom op, int16): every row (the innermost dimension) delayed by
delay_length samples across invokes; the state (rows x delay_length samples, zeros after a
reset, as TFLM's Reset writes them) lives in the state area."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, struct_call
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.signal_common import SignalOp

MAX_DELAY = 1 << 20


@dataclass(frozen=True)
class DelayParams:
    rows: int
    frame_size: int
    delay_length: int


@register
class SignalDelay(SignalOp):
    op_type = "CUSTOM:SignalDelay"
    dtypes = ("int16",)
    input_dtypes = ("int16",)
    output_dtypes = ("int16",)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> DelayParams:
        x = graph.tensors[op.inputs[0]]
        if not x.shape or x.shape[-1] == 0:
            raise self.fail(op, f"input shape {list(x.shape)}: TFLM's SignalDelay needs a "
                                "non-empty innermost dimension")
        self.same_elements(op, graph, op.inputs[0], op.outputs[0], "input and output")
        delay = self.int_option(op, "delay_length", 0, MAX_DELAY)
        return DelayParams(x.num_elements // x.shape[-1], x.shape[-1], delay)

    def state_bytes(self, op: Operator, graph: Graph) -> int:
        p = self.prepare(op, graph)
        return 2 * p.rows * p.delay_length

    def cost(self, op: Operator, graph: Graph, params: DelayParams) -> Cost:
        return Cost(macs=params.rows * (params.frame_size + params.delay_length))

    def emit(self, op: Operator, graph: Graph, params: DelayParams, ctx: EmitContext) -> None:
        ctx.use_kernel("signal_delay")
        state = ctx.op_state("int16_t") if params.delay_length else "NULL"
        ctx.call(struct_call("signal_delay",
                             pick(params, "rows frame_size delay_length"),
                             [ctx.ptr(op.inputs[0]), state, ctx.ptr(op.outputs[0])]))
