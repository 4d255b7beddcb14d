"""BATCH_TO_SPACE_ND (float32, int8; see space_batch_common.py): the batch's blocks moved back
into space, then cropped: the inverse of SPACE_TO_BATCH_ND, every output element written once."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import register
from microforge.ops.space_batch_common import SpaceBatchOp, as_4d


@register
class BatchToSpaceNd(SpaceBatchOp):
    op_type = "BATCH_TO_SPACE_ND"
    kernel = "batch_to_space"
    what = "crops"

    def expected_output(self, op: Operator, graph: Graph) -> tuple[int, int, int, int]:
        b, h, w, d = as_4d(tuple(graph.tensors[op.inputs[0]].shape))
        (bh, bw), top, bottom, left, right = self.geometry(op, graph)
        if b % (bh * bw):
            raise self.fail(op, f"batch {b} is not a multiple of the block {bh}x{bw}")
        out_h, out_w = h * bh - top - bottom, w * bw - left - right
        if out_h < 1 or out_w < 1:
            raise self.fail(op, f"crops {top}+{bottom}, {left}+{right} leave nothing")
        return b // (bh * bw), out_h, out_w, d
