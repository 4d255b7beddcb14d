"""TFLM's SignalWindow (custom op, int16): every frame of the input times the int16 window,
shifted right by `shift` (arithmetic, in int32) and saturated to int16."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, struct_call
from microforge.ops.base import Cost, EmitContext, MemoryHints, register
from microforge.ops.signal_common import SignalOp


@dataclass(frozen=True)
class WindowParams:
    size: int
    window_size: int
    shift: int


@register
class SignalWindow(SignalOp):
    op_type = "CUSTOM:SignalWindow"
    dtypes = ("int16",)
    input_dtypes = ("int16", "int16")
    output_dtypes = ("int16",)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x = graph.tensors[op.inputs[0]]
        if not x.shape:
            raise self.fail(op, "the input has rank 0; TFLM's SignalWindow needs rank >= 1")
        window = self.rank(op, graph, op.inputs[1], "the window", 1)
        if len(graph.tensors[op.outputs[0]].shape) != len(x.shape):
            raise self.fail(op, "the output's rank differs from the input's")
        self.same_elements(op, graph, op.inputs[0], op.outputs[0], "input and output")
        if window == 0 or x.num_elements % window:
            raise self.fail(op, f"the input's {x.num_elements} samples are not a whole number "
                                f"of {window}-sample windows")
        self.int_option(op, "shift", 0, 31)

    def prepare(self, op: Operator, graph: Graph) -> WindowParams:
        return WindowParams(graph.tensors[op.inputs[0]].num_elements,
                            graph.tensors[op.inputs[1]].num_elements,
                            self.int_option(op, "shift", 0, 31))

    def cost(self, op: Operator, graph: Graph, params: WindowParams) -> Cost:
        window = graph.tensors[op.inputs[1]]
        return Cost(macs=params.size, weight_bytes=window.nbytes if window.is_constant else 0)

    def memory(self, op: Operator, graph: Graph, params: WindowParams) -> MemoryHints:
        return MemoryHints(inplace_input=0)  # each sample is read before it is written

    def emit(self, op: Operator, graph: Graph, params: WindowParams, ctx: EmitContext) -> None:
        ctx.use_kernel("signal_window")
        ctx.call(struct_call("signal_window", pick(params, "size window_size shift"),
                             [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]),
                              ctx.ptr(op.outputs[0])]))
