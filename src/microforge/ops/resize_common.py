"""What RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR share: the checks of the input, the
constant size and the output shape (TFLM's Prepare for both)."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import OpDef


class ResizeOp(OpDef):
    def resize_problem(self, op: Operator, graph: Graph) -> str | None:
        """Why the dtypes, size input or rank are not implemented, or None."""
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype not in self.dtypes or out.dtype != x.dtype:
            return f"dtypes {x.dtype} -> {out.dtype} not implemented"
        if len(op.inputs) < 2 or not graph.tensors[op.inputs[1]].is_constant:
            return "the size input is not constant (TFLM requires a constant size)"
        if len(x.shape) != 4:
            return f"input of rank {len(x.shape)} (NHWC, rank 4, expected)"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        size = graph.tensors[op.inputs[1]].data
        if size is None or size.size != 2:
            raise self.fail(op, "size must be a constant of 2 values (height, width)")
        h, w = (int(v) for v in size.reshape(-1))
        expected = (x.shape[0], h, w, x.shape[3])
        if tuple(out.shape) != expected or h < 1 or w < 1:
            raise self.fail(op, f"output shape {list(out.shape)} is not {list(expected)}")
