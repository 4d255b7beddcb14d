"""UNPACK (float32, int8, int16, int32): one input cut into N outputs along an axis it drops.

As TFLM's Unpack: output i's block k (of `inner` elements, the input dimensions after the
axis) comes from input offset (k * N + i) * inner; one strided copy per output, bit-exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import CopyCall, CopyPlan, emit_copy, outer_inner

UNPACK_DTYPES = ("float32", "int8", "int16", "int32")


@dataclass(frozen=True)
class UnpackParams:
    axis: int
    copies: tuple[CopyCall, ...]  # one per output


@register
class Unpack(OpDef):
    op_type = "UNPACK"
    dtypes = UNPACK_DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 1 or not op.outputs:
            return "needs one input and at least one output"
        x = graph.tensors[op.inputs[0]]
        if x.dtype not in UNPACK_DTYPES:
            return f"{x.dtype} tensors (only {', '.join(UNPACK_DTYPES)})"
        for position, index in enumerate(op.outputs):
            if graph.tensors[index].dtype != x.dtype:
                return (f"output {position} is {graph.tensors[index].dtype} but the input is "
                        f"{x.dtype}")
        return None

    def _axis(self, op: Operator, graph: Graph) -> int:
        rank = len(graph.tensors[op.inputs[0]].shape)
        value = int(op.options.get("axis", 0))
        axis = value + rank if value < 0 else value
        if not 0 <= axis < rank:
            raise self.fail(op, f"axis {value} is out of range for rank {rank}")
        return axis

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x = graph.tensors[op.inputs[0]]
        axis = self._axis(op, graph)
        if x.shape[axis] != len(op.outputs):
            raise self.fail(op, f"input dimension {axis} is {x.shape[axis]} but there are "
                                f"{len(op.outputs)} outputs")
        expected = [*x.shape[:axis], *x.shape[axis + 1:]]
        for position, index in enumerate(op.outputs):
            if list(graph.tensors[index].shape) != expected:
                raise self.fail(op, f"output {position} has shape "
                                    f"{list(graph.tensors[index].shape)}, should be {expected}")

    def prepare(self, op: Operator, graph: Graph) -> UnpackParams:
        x = graph.tensors[op.inputs[0]]
        axis = self._axis(op, graph)
        outer, inner = outer_inner(x.shape, axis)
        n = len(op.outputs)
        copies = tuple(CopyCall.from_plan(CopyPlan((outer, inner), (n * inner, 1), (inner, 1),
                                                   i * inner, 0), x.itemsize)
                       for i in range(n))
        return UnpackParams(axis, copies)

    def emit(self, op: Operator, graph: Graph, params: UnpackParams, ctx: EmitContext) -> None:
        src = ctx.ptr(op.inputs[0])
        for index, copy in zip(op.outputs, params.copies, strict=True):
            emit_copy(ctx, copy, src, ctx.ptr(index))
