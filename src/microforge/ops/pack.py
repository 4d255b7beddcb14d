"""PACK (float32, int8, int16, int32, int64): N equal-shaped inputs stacked along a new axis.

As TFLM's Pack: input i's block k (of `inner` elements, the output dimensions after the axis)
goes to output offset (k * N + i) * inner; one strided copy per input, bit-exact for every dtype.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import (
    CopyCall,
    CopyPlan,
    emit_copy,
    outer_inner,
    same_dtype_reason,
)

PACK_DTYPES = ("float32", "int8", "int16", "int32", "int64")


@dataclass(frozen=True)
class PackParams:
    axis: int
    copies: tuple[CopyCall, ...]  # one per input


@register
class Pack(OpDef):
    op_type = "PACK"
    dtypes = PACK_DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if not op.inputs or len(op.outputs) != 1 or NO_TENSOR in op.inputs:
            return "needs at least one input and one output"
        return same_dtype_reason(op, graph, range(len(op.inputs)), allowed=PACK_DTYPES)

    def _axis(self, op: Operator, graph: Graph) -> int:
        rank = len(graph.tensors[op.outputs[0]].shape)
        value = int(op.options.get("axis", 0))
        axis = value + rank if value < 0 else value
        if not 0 <= axis < rank:
            raise self.fail(op, f"axis {value} is out of range for the rank-{rank} output")
        return axis

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        out = graph.tensors[op.outputs[0]]
        axis = self._axis(op, graph)
        count = int(op.options.get("values_count", len(op.inputs)))
        if count != len(op.inputs):
            raise self.fail(op, f"values_count is {count} but there are {len(op.inputs)} inputs")
        expected = [*out.shape[:axis], *out.shape[axis + 1:]]
        if out.shape[axis] != len(op.inputs):
            raise self.fail(op, f"output dimension {axis} is {out.shape[axis]}, should be "
                                f"{len(op.inputs)} (one per input)")
        for position, index in enumerate(op.inputs):
            if list(graph.tensors[index].shape) != expected:
                raise self.fail(op, f"input {position} has shape "
                                    f"{list(graph.tensors[index].shape)}, should be {expected}")

    def prepare(self, op: Operator, graph: Graph) -> PackParams:
        out = graph.tensors[op.outputs[0]]
        axis = self._axis(op, graph)
        outer, inner = outer_inner(out.shape, axis)
        n = len(op.inputs)
        copies = tuple(CopyCall.from_plan(CopyPlan((outer, inner), (inner, 1), (n * inner, 1),
                                                   0, i * inner), out.itemsize)
                       for i in range(n))
        return PackParams(axis, copies)

    def emit(self, op: Operator, graph: Graph, params: PackParams, ctx: EmitContext) -> None:
        dst = ctx.ptr(op.outputs[0])
        for index, copy in zip(op.inputs, params.copies, strict=True):
            emit_copy(ctx, copy, ctx.ptr(index), dst)
