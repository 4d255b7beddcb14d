"""MIRROR_PAD (float32, int8; REFLECT or SYMMETRIC; constant paddings), as TFLM.

TFLM maps output index p of an axis to input index left + offset - 1 - p in the left border
and size - 1 - offset - q at q past the input in the right border (offset 1 for REFLECT, 0
for SYMMETRIC). Here: one strided copy of the input into the output's centre, then for each
axis from the last to the first two copies inside the output that mirror the already filled
part (a stride of -1 along that axis), so 1 + 2 * rank copies in all. Paddings beyond what
TensorFlow allows (REFLECT: size - 1, SYMMETRIC: size) are rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import (
    LAYOUT_DTYPES,
    CopyCall,
    CopyPlan,
    const_ints,
    emit_copy,
    row_major_strides,
    same_dtype_reason,
)


@dataclass(frozen=True)
class MirrorPadParams:
    offset: int  # 1 REFLECT, 0 SYMMETRIC
    centre: CopyCall
    borders: tuple[CopyCall, ...]  # in the output, in emission order


@register
class MirrorPad(OpDef):
    op_type = "MIRROR_PAD"
    dtypes = LAYOUT_DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs input and paddings"
        if const_ints(graph, op, 1) is None:
            return "the paddings are not a constant int32/int64 tensor"
        if op.options.get("mode", "REFLECT") not in ("REFLECT", "SYMMETRIC"):
            return f"mode {op.options.get('mode')!r}"
        return same_dtype_reason(op, graph)

    def _pads(self, op: Operator, graph: Graph) -> tuple[int, list[tuple[int, int]]]:
        shape = graph.tensors[op.inputs[0]].shape
        values = const_ints(graph, op, 1) or []
        if len(values) != 2 * len(shape):
            raise self.fail(op, f"paddings must be [{len(shape)}, 2]")
        offset = 1 if op.options.get("mode", "REFLECT") == "REFLECT" else 0
        pads = [(values[2 * k], values[2 * k + 1]) for k in range(len(shape))]
        for axis, ((left, right), size) in enumerate(zip(pads, shape, strict=True)):
            limit = size - offset
            if min(left, right) < 0 or max(left, right) > limit:
                raise self.fail(op, f"axis {axis}: padding ({left}, {right}) must be within "
                                    f"[0, {limit}] for size {size}")
        return offset, pads

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        shape = graph.tensors[op.inputs[0]].shape
        _, pads = self._pads(op, graph)
        expected = [n + a + b for n, (a, b) in zip(shape, pads, strict=True)]
        out = graph.tensors[op.outputs[0]]
        if list(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} should be {expected}")

    def prepare(self, op: Operator, graph: Graph) -> MirrorPadParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        offset, pads = self._pads(op, graph)
        size = out.itemsize
        s = row_major_strides(out.shape)
        rank = len(x.shape)
        lefts = [a for a, _ in pads]
        centre_at = sum(a * st for a, st in zip(lefts, s, strict=True))
        centre = CopyCall.from_plan(CopyPlan(tuple(x.shape), row_major_strides(x.shape), s,
                                             0, centre_at), size)
        borders = []
        for k in range(rank - 1, -1, -1):
            counts = [*x.shape[:k], 0, *out.shape[k + 1:]]
            base = sum(lefts[j] * s[j] for j in range(k))
            src = tuple(-s[j] if j == k else s[j] for j in range(rank))
            left, right = pads[k]
            for count, dst_at, src_at in (
                    (left, 0, 2 * left + offset - 1),
                    (right, left + x.shape[k], left + x.shape[k] - 1 - offset)):
                if count == 0:
                    continue
                counts[k] = count
                plan = CopyPlan(tuple(counts), src, s, base + src_at * s[k], base + dst_at * s[k])
                borders.append(CopyCall.from_plan(plan, size))
        return MirrorPadParams(offset, centre, tuple(borders))

    def emit(self, op: Operator, graph: Graph, params: MirrorPadParams, ctx: EmitContext) -> None:
        dst = ctx.ptr(op.outputs[0])
        emit_copy(ctx, params.centre, ctx.ptr(op.inputs[0]), dst)
        for border in params.borders:
            emit_copy(ctx, border, dst, dst)
