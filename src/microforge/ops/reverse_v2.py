"""REVERSE_V2: the input with the order of its elements reversed along constant axes, as TFLM's
reverse.cc (every dtype it has, raw bytes moved, so int8 keeps its quantization; the axes
sorted, negative ones counted from the end, and contiguous: TFLM refuses others). One strided
copy (layout_common) reading each reversed axis from its end with a negative stride."""

from __future__ import annotations

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

DTYPES = ("float32", "int8", "uint8", "int16", "int32", "int64", "bool")
MAX_RANK = 6  # TFLM: RuntimeShape::kMaxSmallSize


def reversed_axes(graph: Graph, op: Operator) -> list[int] | None:
    """The sorted, non-negative axes, or None when they are not a constant int32 vector."""
    axes = const_ints(graph, op, 1)
    if axes is None or graph.tensors[op.inputs[1]].dtype != "int32":
        return None
    rank = len(graph.tensors[op.inputs[0]].shape)
    return sorted(a + rank if a < 0 else a for a in axes)


def reverse_plan(shape: tuple[int, ...], axes: list[int]) -> CopyPlan:
    strides = row_major_strides(shape)
    src = tuple(-s if axis in axes else s for axis, s in enumerate(strides))
    start = sum((shape[a] - 1) * strides[a] for a in set(axes) if shape[a] > 0)
    return CopyPlan(tuple(shape), src, strides, src_offset=start)


@register
class ReverseV2(OpDef):
    op_type = "REVERSE_V2"
    dtypes = DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs an input, the axes and one output"
        axes = reversed_axes(graph, op)
        if axes is None:
            return "the axes are not a constant int32 vector"
        rank = len(graph.tensors[op.inputs[0]].shape)
        if rank > MAX_RANK:
            return f"rank {rank} over TFLM's {MAX_RANK}"
        if any(not 0 <= a < rank for a in axes) or len(set(axes)) != len(axes):
            return f"axes {const_ints(graph, op, 1)} out of range or repeated for rank {rank}"
        if any(b != a + 1 for a, b in zip(axes, axes[1:], strict=False)):
            return f"non-contiguous axes {axes} (TFLM refuses them)"
        return same_dtype_reason(op, graph, allowed=DTYPES)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if tuple(x.shape) != tuple(out.shape):
            raise self.fail(op, f"output shape {list(out.shape)} differs from the input's "
                                f"{list(x.shape)}")

    def prepare(self, op: Operator, graph: Graph) -> CopyCall:
        x = graph.tensors[op.inputs[0]]
        axes = reversed_axes(graph, op) or []
        return CopyCall.from_plan(reverse_plan(tuple(x.shape), axes), x.itemsize)

    def emit(self, op: Operator, graph: Graph, params: CopyCall, ctx: EmitContext) -> None:
        emit_copy(ctx, params, ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]))
