"""TFLM's SignalFramer (custom op, int16): input [..., n x frame_step] -> output
[..., n, frame_size] and a bool scalar `valid`: overlapping frames of frame_size samples every
frame_step samples of a stream fed frame_step x n samples per invoke. With `prefill` the
stream starts with frame_size - frame_step zeros (every frame valid at once); without it, the
first frames are not complete: `valid` is false, and their output slots are zeros here (TFLM
leaves them unwritten). The held samples (per row: a count and frame_size rounded up to a
multiple of frame_step samples) are state."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, struct_call
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.signal_common import SignalOp

MAX_FRAME = 1 << 20


@dataclass(frozen=True)
class FramerParams:
    rows: int
    n_frames: int
    frame_size: int
    frame_step: int
    capacity: int
    prefill: int

    @property
    def row_bytes(self) -> int:
        """Bytes of one row's state, as mf_framer_row_bytes in kernels/signal_framer.c."""
        return (4 + 2 * self.capacity + 3) & ~3


@register
class SignalFramer(SignalOp):
    op_type = "CUSTOM:SignalFramer"
    dtypes = ("int16", "bool")
    input_dtypes = ("int16",)
    output_dtypes = ("int16", "bool")

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> FramerParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        size = self.int_option(op, "frame_size", 1, MAX_FRAME)
        step = self.int_option(op, "frame_step", 1, size)
        prefill = self.bool_option(op, "prefill")
        if not x.shape or len(out.shape) != len(x.shape) + 1:
            raise self.fail(op, f"input {list(x.shape)} and output {list(out.shape)}: the "
                                "output needs one rank more than the input (rank >= 1)")
        inner = x.shape[-1]
        if inner < step or inner % step:
            raise self.fail(op, f"the innermost input dimension {inner} is not a multiple of "
                                f"frame_step {step}")
        rows, n_frames = x.num_elements // inner, inner // step
        if tuple(out.shape[-2:]) != (n_frames, size) or out.num_elements != rows * n_frames * size:
            raise self.fail(op, f"the output shape {list(out.shape)} is not [..., {n_frames}, "
                                f"{size}]")
        self.rank(op, graph, op.outputs[1], "the valid flag", 0)
        capacity = -(-size // step) * step
        return FramerParams(rows, n_frames, size, step, capacity, size - step if prefill else 0)

    def state_bytes(self, op: Operator, graph: Graph) -> int:
        p = self.prepare(op, graph)
        return p.rows * p.row_bytes

    def cost(self, op: Operator, graph: Graph, params: FramerParams) -> Cost:
        return Cost(macs=params.rows * params.n_frames * (params.frame_size + params.capacity))

    def emit(self, op: Operator, graph: Graph, params: FramerParams, ctx: EmitContext) -> None:
        ctx.use_kernel("signal_framer")
        p = params
        ctx.call(struct_call("signal_framer", pick(p, "rows n_frames frame_size frame_step "
                                                      "capacity prefill"),
                             [ctx.ptr(op.inputs[0]), ctx.op_state("uint8_t"),
                              ctx.ptr(op.outputs[0]), ctx.ptr(op.outputs[1])]))
