"""SPLIT and SPLIT_V: one input cut along a constant axis into several outputs.

As TFLM, the pieces' sizes are the outputs' sizes along the axis (SPLIT_V's size_splits only
shaped them at conversion time). Each output is one strided copy of its block [outer, size *
inner] taken at its running offset along the axis, so every dtype is moved bit-exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef
from microforge.ops.layout_common import CopyCall, CopyPlan, const_ints, emit_copy

SPLIT_DTYPES = ("float32", "int8", "int16", "int32")  # TFLM's SPLIT and SPLIT_V


@dataclass(frozen=True)
class SplitParams:
    axis: int
    copies: tuple[CopyCall, ...]  # one per output, in output order


class SplitBase(OpDef):
    """Subclasses set the positions of the data and axis inputs."""

    data_input: ClassVar[int] = 0
    axis_input: ClassVar[int] = 1
    dtypes = SPLIT_DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        axis = const_ints(graph, op, self.axis_input)
        if axis is None or len(axis) != 1:
            return "the axis is not a constant int32 scalar (TFLM requires one too)"
        x = graph.tensors[op.inputs[self.data_input]]
        if x.dtype not in SPLIT_DTYPES:
            return f"{x.dtype} tensors (only {', '.join(SPLIT_DTYPES)})"
        for position, index in enumerate(op.outputs):
            if graph.tensors[index].dtype != x.dtype:
                return (f"output {position} is {graph.tensors[index].dtype} but the input is "
                        f"{x.dtype}")
        return None

    def _axis(self, op: Operator, graph: Graph) -> int:
        rank = len(graph.tensors[op.inputs[self.data_input]].shape)
        value = (const_ints(graph, op, self.axis_input) or [0])[0]
        axis = value + rank if value < 0 else value
        if not 0 <= axis < rank:
            raise self.fail(op, f"axis {value} is out of range for rank {rank}")
        return axis

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x = graph.tensors[op.inputs[self.data_input]]
        axis = self._axis(op, graph)
        total = 0
        for position, index in enumerate(op.outputs):
            shape = graph.tensors[index].shape
            if len(shape) != len(x.shape) or any(
                    a != b for k, (a, b) in enumerate(zip(shape, x.shape, strict=True))
                    if k != axis):
                raise self.fail(op, f"output {position} has shape {list(shape)}, which does not "
                                    f"match the input {list(x.shape)} outside axis {axis}")
            total += shape[axis]
        if total != x.shape[axis]:
            raise self.fail(op, f"outputs add up to {total} along axis {axis}, the input has "
                                f"{x.shape[axis]}")

    def prepare(self, op: Operator, graph: Graph) -> SplitParams:
        x = graph.tensors[op.inputs[self.data_input]]
        axis = self._axis(op, graph)
        outer = 1
        for d in x.shape[:axis]:
            outer *= d
        inner = 1
        for d in x.shape[axis + 1:]:
            inner *= d
        in_row = x.shape[axis] * inner
        copies, offset = [], 0
        for index in op.outputs:
            block = graph.tensors[index].shape[axis] * inner
            plan = CopyPlan((outer, block), (in_row, 1), (block, 1), offset, 0)
            copies.append(CopyCall.from_plan(plan, x.itemsize))
            offset += block
        return SplitParams(axis, tuple(copies))

    def emit(self, op: Operator, graph: Graph, params: SplitParams, ctx: EmitContext) -> None:
        src = ctx.ptr(op.inputs[self.data_input])
        for index, copy in zip(op.outputs, params.copies, strict=True):
            emit_copy(ctx, copy, src, ctx.ptr(index))
