"""STRIDED_SLICE (up to 5-D; float32, int8, int16, int32, bool): begin/end/strides resolved at compile time.

Start and stop per axis follow TFLite's strided_slice_logic (negative indices wrapped, clamped
to [0, n] or [-1, n-1] by stride sign, then begin_mask/end_mask, shrink_axis = one element);
the loop count is ceil((stop - start) / stride) clamped at 0. The slice is then one strided
copy: output axis k starts at `start` and walks the input with stride * row-major stride.
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

MAX_RANK = 5


def _clamp(v: int, lo: int, hi: int) -> int:
    return hi if v > hi else lo if v < lo else v


def resolve_axis(size: int, begin: int, end: int, stride: int, begin_masked: bool,
                 end_masked: bool, shrink: bool) -> tuple[int, int]:
    """(start, stop) of one axis, as TFLite's StridedSliceStartForAxis / EndForAxis."""
    start = begin + size if begin < 0 else begin
    start = _clamp(start, 0, size) if stride > 0 else _clamp(start, -1, size - 1)
    if begin_masked:
        start = 0 if stride > 0 else size - 1
    if shrink:
        return start, (start if start >= size else start + 1)
    stop = end + size if end < 0 else end
    stop = _clamp(stop, 0, size) if stride > 0 else _clamp(stop, -1, size - 1)
    if end_masked:
        stop = size if stride > 0 else -1
    return start, stop


def loop_count(start: int, stop: int, stride: int) -> int:
    span = stop - start if stride > 0 else start - stop
    return max(0, -(-span // abs(stride)))


@dataclass(frozen=True)
class StridedSliceParams:
    starts: tuple[int, ...]
    counts: tuple[int, ...]
    strides: tuple[int, ...]
    copy: CopyCall


@register
class StridedSlice(OpDef):
    op_type = "STRIDED_SLICE"
    # TFLM's StridedSlice: float32, int8, int16, int32, bool (a byte copy for all of them)
    dtypes = ("float32", "int8", "int16", "int32", "bool")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 4 or len(op.outputs) != 1:
            return "needs input, begin, end and strides"
        for position, name in ((1, "begin"), (2, "end"), (3, "strides")):
            if const_ints(graph, op, position) is None:
                return f"{name} is not a constant int32 tensor"
        for mask in ("ellipsis_mask", "new_axis_mask"):
            if op.options.get(mask, 0):
                return f"{mask} is not supported (TFLM ignores it)"
        if op.options.get("offset", False):
            return "offset=True is not supported (TFLM ignores it)"
        if len(graph.tensors[op.inputs[0]].shape) > MAX_RANK:
            return f"input of more than {MAX_RANK} dimensions"
        return same_dtype_reason(op, graph, allowed=self.dtypes)

    def _resolve(self, op: Operator, graph: Graph) -> tuple[list[int], list[int], list[int]]:
        shape = graph.tensors[op.inputs[0]].shape
        begin, end, strides = (const_ints(graph, op, p) or [] for p in (1, 2, 3))
        rank = len(shape)
        if not len(begin) == len(end) == len(strides) == rank:
            raise self.fail(op, f"begin/end/strides must each have {rank} values")
        if any(s == 0 for s in strides):
            raise self.fail(op, "a stride is 0")
        opts = op.options
        starts, counts, kept = [], [], []
        for axis in range(rank):
            bit = 1 << axis
            shrink = bool(opts.get("shrink_axis_mask", 0) & bit)
            start, stop = resolve_axis(shape[axis], begin[axis], end[axis], strides[axis],
                                       bool(opts.get("begin_mask", 0) & bit),
                                       bool(opts.get("end_mask", 0) & bit), shrink)
            count = loop_count(start, stop, strides[axis])
            starts.append(start)
            counts.append(count)
            if not shrink:
                kept.append(count)
        return starts, counts, kept

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        _, counts, kept = self._resolve(op, graph)
        out = graph.tensors[op.outputs[0]]
        if tuple(out.shape) != tuple(kept) and not (out.num_elements == 0 == min(counts, default=1)):
            raise self.fail(op, f"output shape {list(out.shape)} should be {kept}")

    def prepare(self, op: Operator, graph: Graph) -> StridedSliceParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        starts, counts, _ = self._resolve(op, graph)
        strides = const_ints(graph, op, 3) or []
        in_strides = row_major_strides(x.shape)
        # the output is written in order, so its strides are the row-major strides of `counts`
        plan = CopyPlan(tuple(counts), tuple(s * r for s, r in zip(strides, in_strides,
                                                                 strict=True)),
                        row_major_strides(counts),
                        src_offset=sum(s * r for s, r in zip(starts, in_strides, strict=True))
                        if min(counts, default=1) > 0 else 0)
        return StridedSliceParams(tuple(starts), tuple(counts), tuple(strides),
                                  CopyCall.from_plan(plan, out.itemsize))

    def emit(self, op: Operator, graph: Graph, params: StridedSliceParams,
             ctx: EmitContext) -> None:
        emit_copy(ctx, params.copy, ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]))
