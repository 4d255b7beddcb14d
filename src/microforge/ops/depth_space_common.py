"""DEPTH_TO_SPACE and SPACE_TO_DEPTH, shared (4-D NHWC, float32/int8, as TFLM).

Both are one strided copy over the output in row-major order, viewed as six loops:
DEPTH_TO_SPACE (b, h, dh, w, dw, d) reads input[b, h, w, (dh * bs + dw) * D + d];
SPACE_TO_DEPTH (b, h, w, dh, dw, c) reads input[b, h * bs + dh, w * bs + dw, c].
The raw elements are moved, so the result is bit-exact for both dtypes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef
from microforge.ops.layout_common import (
    LAYOUT_DTYPES,
    CopyCall,
    CopyPlan,
    emit_copy,
    row_major_strides,
    same_dtype_reason,
)


@dataclass(frozen=True)
class DepthSpaceParams:
    block_size: int
    copy: CopyCall


class DepthSpaceBase(OpDef):
    dtypes = LAYOUT_DTYPES
    to_space: ClassVar[bool] = True

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 1 or len(op.outputs) != 1:
            return "needs one input and one output"
        if len(graph.tensors[op.inputs[0]].shape) != 4:
            return "input is not 4-D (TFLM requires NHWC)"
        return same_dtype_reason(op, graph)

    def _expected(self, op: Operator, graph: Graph) -> tuple[int, list[int]]:
        n, h, w, c = graph.tensors[op.inputs[0]].shape
        bs = int(op.options.get("block_size", 0))
        if bs <= 0:
            raise self.fail(op, f"block_size {bs} must be positive")
        if self.to_space:
            if c % (bs * bs):
                raise self.fail(op, f"depth {c} is not a multiple of block_size^2 = {bs * bs}")
            return bs, [n, h * bs, w * bs, c // (bs * bs)]
        if h % bs or w % bs:
            raise self.fail(op, f"height {h} and width {w} must be multiples of block_size {bs}")
        return bs, [n, h // bs, w // bs, c * bs * bs]

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        _, expected = self._expected(op, graph)
        out = graph.tensors[op.outputs[0]]
        if list(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} should be {expected}")

    def prepare(self, op: Operator, graph: Graph) -> DepthSpaceParams:
        x = graph.tensors[op.inputs[0]]
        n, h, w, c = x.shape
        bs, (_, oh, ow, oc) = self._expected(op, graph)
        sn, sh, sw, _ = row_major_strides(x.shape)
        if self.to_space:  # output loops (b, h, dh, w, dw, d); h, w are input rows/columns
            counts = (n, h, bs, w, bs, oc)
            src = (sn, sh, bs * oc, sw, oc, 1)
        else:  # output loops (b, h, w, dh, dw, c); h, w are output rows/columns
            counts = (n, oh, ow, bs, bs, c)
            src = (sn, bs * sh, bs * sw, sh, sw, 1)
        plan = CopyPlan(counts, src, row_major_strides(counts))
        return DepthSpaceParams(bs, CopyCall.from_plan(plan, x.itemsize))

    def emit(self, op: Operator, graph: Graph, params: DepthSpaceParams,
             ctx: EmitContext) -> None:
        emit_copy(ctx, params.copy, ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]))
