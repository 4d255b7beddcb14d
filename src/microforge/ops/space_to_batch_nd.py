"""SPACE_TO_BATCH_ND (float32, int8; see space_batch_common.py): the input padded, its spatial
blocks moved into the batch. Padding is written as 0 bytes, which is what TFLM writes: its
reference pads with SpaceToBatchParams.output_offset, which TFLM's Prepare never sets (0 in
the TFLM verified here), so an int8 model is padded with 0, not with its zero point (tests/ops/test_space_to_batch_nd.py checks it against TFLM with a non-zero one)."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import register
from microforge.ops.space_batch_common import SpaceBatchOp, as_4d


@register
class SpaceToBatchNd(SpaceBatchOp):
    op_type = "SPACE_TO_BATCH_ND"
    kernel = "space_to_batch"
    what = "paddings"

    def expected_output(self, op: Operator, graph: Graph) -> tuple[int, int, int, int]:
        b, h, w, d = as_4d(tuple(graph.tensors[op.inputs[0]].shape))
        (bh, bw), top, bottom, left, right = self.geometry(op, graph)
        padded_h, padded_w = h + top + bottom, w + left + right
        if padded_h % bh or padded_w % bw:
            raise self.fail(op, f"padded size {padded_h}x{padded_w} is not a multiple of the "
                                f"block {bh}x{bw}")
        return b * bh * bw, padded_h // bh, padded_w // bw, d
