"""Fuse a float32 residual block x -> CONV_2D -> CONV_2D -> ADD(x, .) into MF_RESIDUAL_BLOCK.

Both convolutions stride 1, dilation 1, output size = input size, no groups, 8 or more output
channels (the blocked float kernel), constant filters; the second one gives x's shape back;
the intermediate tensors are read by the block alone, and x by the first conv and the ADD
alone (so the sum may replace x in place). The kernel streams the block row by row (ResNet-8
float: the skip tensor plus a few rows instead of two 64 KB tensors at the first block).
"""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.residual_block import OP_TYPE
from microforge.passes.fusion_common import (
    all_supported,
    only_feeds,
    only_feeds_any,
    producers,
    rewrite,
)


def _plain_conv(graph: Graph, op: Operator | None) -> bool:
    if op is None or op.op_type != "CONV_2D" or len(op.inputs) < 2 or len(op.outputs) != 1:
        return False
    o = op.options
    if any(int(o.get(k, 1)) != 1 for k in ("stride_h", "stride_w", "dilation_h_factor",
                                           "dilation_w_factor")):
        return False
    x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
    y = graph.tensors[op.outputs[0]]
    if x.dtype != "float32" or y.dtype != "float32" or w.dtype != "float32" or not w.is_constant:
        return False
    if len(x.shape) != 4 or len(y.shape) != 4 or len(w.shape) != 4 or w.shape[3] != x.shape[3]:
        return False
    return tuple(x.shape[:3]) == tuple(y.shape[:3]) and y.shape[3] >= 8


def block_of(graph: Graph, add: Operator,
             producer: dict[int, Operator]) -> tuple[Operator, Operator, int] | None:
    """(conv1, conv2, position of x among the ADD's inputs) when `add` ends a fusable block."""
    if add.op_type != "ADD" or len(add.inputs) != 2 or len(add.outputs) != 1:
        return None
    for x_pos in (0, 1):
        x, y2 = add.inputs[x_pos], add.inputs[1 - x_pos]
        conv2 = producer.get(y2)
        if not _plain_conv(graph, conv2):
            continue
        assert conv2 is not None
        conv1 = producer.get(conv2.inputs[0])
        if not _plain_conv(graph, conv1) or conv1 is None or conv1.inputs[0] != x:
            continue
        shapes = {tuple(graph.tensors[t].shape) for t in (x, y2, add.outputs[0])}
        if len(shapes) != 1 or graph.tensors[add.outputs[0]].dtype != "float32":
            continue
        if not (only_feeds(graph, conv1.outputs[0], conv2) and only_feeds_any(graph, y2, add)):
            continue
        readers = sorted(op.index for op in graph.consumers(x))
        if readers != sorted([conv1.index, add.index]) or x in graph.outputs or x == y2:
            continue
        if not all_supported(graph, (conv1, conv2, add)):
            continue
        return conv1, conv2, x_pos
    return None


def fuse_residual_block(graph: Graph) -> Graph:
    """A new graph with every fusable residual block fused (operators renumbered); the input
    graph is not changed. The verifier runs on the result."""
    producer = producers(graph)
    fused: dict[int, Operator] = {}
    skipped: set[int] = set()
    for op in graph.operators:
        found = block_of(graph, op, producer)
        if found is None:
            continue
        conv1, conv2, _ = found
        fused[op.index] = Operator(
            index=op.index, op_type=OP_TYPE,
            inputs=(conv1.inputs[0], *conv1.inputs[1:3], *conv2.inputs[1:3]),
            outputs=tuple(op.outputs), options={"conv1": conv1, "conv2": conv2, "add": op})
        skipped |= {conv1.index, conv2.index}
    return rewrite(graph, fused, skipped)
