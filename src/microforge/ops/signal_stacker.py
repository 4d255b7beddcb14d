"""TFLM's SignalStacker (custom op, int16): each invoke appends one frame of num_channels;
once left + 1 + right frames are held, they are output as one vector (bool `valid` true) and
stacker_step frames are dropped. The first frame is repeated left_context more times (TFLM's
padding). An incomplete stack's output is zeros here (TFLM leaves it unwritten). The held
frames are state."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, struct_call
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.signal_common import SignalOp

MAX_CONTEXT = 1 << 12


@dataclass(frozen=True)
class StackerParams:
    num_channels: int
    left_context: int
    buffer_size: int
    step_size: int


@register
class SignalStacker(SignalOp):
    op_type = "CUSTOM:SignalStacker"
    dtypes = ("int16", "bool")
    input_dtypes = ("int16",)
    output_dtypes = ("int16", "bool")

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> StackerParams:
        channels = self.rank(op, graph, op.inputs[0], "the input", 1)
        out = self.rank(op, graph, op.outputs[0], "the output", 1)
        self.rank(op, graph, op.outputs[1], "the valid flag", 0)
        self.int_option(op, "num_channels", channels, channels)
        left = self.int_option(op, "stacker_left_context", 0, MAX_CONTEXT)
        right = self.int_option(op, "stacker_right_context", 0, MAX_CONTEXT)
        frames = left + right + 1
        step = self.int_option(op, "stacker_step", 1, frames)
        if out != channels * frames:
            raise self.fail(op, f"the output has {out} values; {frames} frames of {channels} "
                                f"channels make {channels * frames}")
        return StackerParams(channels, left, channels * frames, channels * step)

    def state_bytes(self, op: Operator, graph: Graph) -> int:
        return 8 + 2 * self.prepare(op, graph).buffer_size

    def cost(self, op: Operator, graph: Graph, params: StackerParams) -> Cost:
        return Cost(macs=2 * params.buffer_size)

    def emit(self, op: Operator, graph: Graph, params: StackerParams, ctx: EmitContext) -> None:
        ctx.use_kernel("signal_stacker")
        p = params
        ctx.call(struct_call("signal_stacker",
                             pick(p, "num_channels left_context buffer_size step_size"),
                             [ctx.ptr(op.inputs[0]), ctx.op_state("uint8_t"),
                              ctx.ptr(op.outputs[0]), ctx.ptr(op.outputs[1])]))
