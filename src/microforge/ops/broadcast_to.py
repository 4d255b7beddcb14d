"""BROADCAST_TO: the input repeated along its size-1 (or missing, leading) dimensions up to the
constant target shape, as TFLM's broadcast_to.cc (any fixed-size dtype, raw bytes moved, so
int8 keeps its quantization). One strided copy (layout_common): a stride of 0 along each
broadcast dimension."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import (
    ALL_DTYPES,
    CopyCall,
    CopyPlan,
    const_ints,
    emit_copy,
    row_major_strides,
    same_dtype_reason,
)

MAX_RANK = 5  # TFLM's kMaxDims


def broadcast_plan(in_shape: tuple[int, ...], out_shape: tuple[int, ...]) -> CopyPlan:
    ext = (1,) * (len(out_shape) - len(in_shape)) + tuple(in_shape)
    src = row_major_strides(ext)
    return CopyPlan(tuple(out_shape),
                    tuple(0 if d == 1 and o != 1 else s for d, o, s in zip(ext, out_shape, src,
                                                                           strict=True)),
                    row_major_strides(out_shape))


@register
class BroadcastTo(OpDef):
    op_type = "BROADCAST_TO"
    dtypes = ALL_DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs an input, a shape and one output"
        if const_ints(graph, op, 1) is None:
            return "the shape is not a constant int32/int64 tensor"
        if len(graph.tensors[op.outputs[0]].shape) > MAX_RANK:
            return f"output rank over {MAX_RANK} (TFLM's limit)"
        return same_dtype_reason(op, graph, allowed=ALL_DTYPES)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        shape = const_ints(graph, op, 1) or []
        if shape != list(out.shape):
            raise self.fail(op, f"shape {shape} differs from the output shape "
                                f"{list(out.shape)}")
        ext = (1,) * (len(out.shape) - len(x.shape)) + tuple(x.shape)
        if len(x.shape) > len(out.shape) or any(d not in (1, o) for d, o in
                                                zip(ext, out.shape, strict=True)):
            raise self.fail(op, f"input shape {list(x.shape)} does not broadcast to "
                                f"{list(out.shape)}")

    def prepare(self, op: Operator, graph: Graph) -> CopyCall:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        return CopyCall.from_plan(broadcast_plan(tuple(x.shape), tuple(out.shape)), x.itemsize)

    def emit(self, op: Operator, graph: Graph, params: CopyCall, ctx: EmitContext) -> None:
        emit_copy(ctx, params, ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]))
