"""SLICE (up to 5-D; float32, int8, int16, int32, bool): begin and size resolved at compile time.

As TFLM's reference Slice: a size of -1 means "to the end of the axis". The slice is one
strided copy (the STRIDED_SLICE plan with unit strides), so every dtype is moved bit-exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import (
    CopyCall,
    CopyPlan,
    const_ints,
    emit_copy,
    row_major_strides,
    same_dtype_reason,
)

MAX_RANK = 5  # TFLM's kMaxDim
SLICE_DTYPES = ("float32", "int8", "int16", "int32", "bool")


@dataclass(frozen=True)
class SliceParams:
    begin: tuple[int, ...]
    counts: tuple[int, ...]
    copy: CopyCall


@register
class Slice(OpDef):
    op_type = "SLICE"
    dtypes = SLICE_DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 3 or len(op.outputs) != 1:
            return "needs input, begin and size"
        for position, name in ((1, "begin"), (2, "size")):
            if const_ints(graph, op, position) is None:
                return f"{name} is not a constant int32/int64 tensor"
        if len(graph.tensors[op.inputs[0]].shape) > MAX_RANK:
            return f"input of more than {MAX_RANK} dimensions (TFLM's limit)"
        return same_dtype_reason(op, graph, allowed=SLICE_DTYPES)

    def _resolve(self, op: Operator, graph: Graph) -> tuple[list[int], list[int]]:
        shape = graph.tensors[op.inputs[0]].shape
        begin, size = const_ints(graph, op, 1) or [], const_ints(graph, op, 2) or []
        if not len(begin) == len(size) == len(shape):
            raise self.fail(op, f"begin and size must each have {len(shape)} values")
        counts = []
        for axis, (n, b, s) in enumerate(zip(shape, begin, size, strict=True)):
            count = n - b if s == -1 else s
            if not 0 <= b <= n or count < 0 or b + count > n:
                raise self.fail(op, f"axis {axis}: begin {b} size {s} is outside the input's "
                                    f"{n} elements")
            counts.append(count)
        return begin, counts

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        _, counts = self._resolve(op, graph)
        out = graph.tensors[op.outputs[0]]
        if tuple(out.shape) != tuple(counts):
            raise self.fail(op, f"output shape {list(out.shape)} should be {counts}")

    def prepare(self, op: Operator, graph: Graph) -> SliceParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        begin, counts = self._resolve(op, graph)
        in_strides = row_major_strides(x.shape)
        offset = sum(b * r for b, r in zip(begin, in_strides, strict=True))
        plan = CopyPlan(tuple(counts), in_strides, row_major_strides(counts),
                        src_offset=offset if min(counts, default=1) > 0 else 0)
        return SliceParams(tuple(begin), tuple(counts), CopyCall.from_plan(plan, out.itemsize))

    def emit(self, op: Operator, graph: Graph, params: SliceParams, ctx: EmitContext) -> None:
        emit_copy(ctx, params.copy, ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]))
