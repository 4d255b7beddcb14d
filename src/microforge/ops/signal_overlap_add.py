"""TFLM's SignalOverlapAdd (custom op, int16 with saturation, or float32; option T):
input [..., n_frames, frame_size] -> output [..., n_frames x frame_step]. Each frame is added
into a running buffer of frame_size samples, whose first frame_step samples are emitted and
shifted out. The buffer (rows x frame_size, zeros after a reset) is state."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, struct_call
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.signal_common import SignalOp

_KINDS = {7: "int16", 0: "float32"}  # tflite TensorType of the T option


@dataclass(frozen=True)
class OverlapAddParams:
    dtype: str
    rows: int
    n_frames: int
    frame_size: int
    frame_step: int


@register
class SignalOverlapAdd(SignalOp):
    op_type = "CUSTOM:SignalOverlapAdd"
    dtypes = ("int16", "float32")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        option = op.options.get("T")
        kind = _KINDS.get(option) if type(option) is int else None
        if kind is None:
            return f"T = {op.options.get('T')!r}: TFLM's SignalOverlapAdd has int16 (7) and " \
                   "float32 (0)"
        if len(op.inputs) != 1 or len(op.outputs) != 1:
            return "needs 1 input and 1 output (TFLM's SignalOverlapAdd)"
        for what, index in (("input", op.inputs[0]), ("output", op.outputs[0])):
            if graph.tensors[index].dtype != kind:
                return f"{what} is {graph.tensors[index].dtype} but T is {kind}"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> OverlapAddParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if len(x.shape) < 2 or len(out.shape) != len(x.shape) - 1:
            raise self.fail(op, f"input {list(x.shape)} and output {list(out.shape)}: TFLM's "
                                "SignalOverlapAdd needs rank >= 2 and an output one rank lower")
        n_frames, frame_size = x.shape[-2], x.shape[-1]
        step = self.int_option(op, "frame_step", 1, max(frame_size, 1))
        rows = x.num_elements // max(n_frames * frame_size, 1)
        if out.num_elements != rows * n_frames * step:
            raise self.fail(op, f"the output has {out.num_elements} samples; {rows} rows of "
                                f"{n_frames} frames of step {step} make {rows * n_frames * step}")
        return OverlapAddParams(x.dtype, rows, n_frames, frame_size, step)

    def state_bytes(self, op: Operator, graph: Graph) -> int:
        p = self.prepare(op, graph)
        return p.rows * p.frame_size * (2 if p.dtype == "int16" else 4)

    def cost(self, op: Operator, graph: Graph, params: OverlapAddParams) -> Cost:
        return Cost(macs=params.rows * params.n_frames * params.frame_size)

    def emit(self, op: Operator, graph: Graph, params: OverlapAddParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("signal_overlap_add")
        suffix, c_type = ("s16", "int16_t") if params.dtype == "int16" else ("f32", "float")
        ctx.call(struct_call("signal_overlap_add",
                             pick(params, "rows n_frames frame_size frame_step"),
                             [ctx.ptr(op.inputs[0]), ctx.op_state(c_type), ctx.ptr(op.outputs[0])],
                             function=f"mf_signal_overlap_add_{suffix}"))
