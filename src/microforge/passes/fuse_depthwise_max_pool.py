"""Fuse DEPTHWISE_CONV_2D -> MAX_POOL_2D (float32) into one MF_DEPTHWISE_MAX_POOL operator.

The fused kernel computes, for each pooled row, only the depthwise rows its window covers (a
band of filter_h rows) and pools them, so the depthwise output (TFLM magic_wand: 12,288 B)
never exists in memory. Each depthwise output keeps its own summation order and the maximum
is taken over the same values: bit-identical with the two ops.
"""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.depthwise_max_pool import OP_TYPE
from microforge.passes.fusion_common import all_supported, only_feeds, producers, rewrite


def fusable(graph: Graph, dw: Operator, pool: Operator) -> bool:
    """pool alone reads dw's float32 output, and both ops are supported as they are."""
    if dw.op_type != "DEPTHWISE_CONV_2D" or pool.op_type != "MAX_POOL_2D":
        return False
    if len(dw.outputs) != 1 or len(pool.inputs) != 1 or pool.inputs[0] != dw.outputs[0]:
        return False
    if not only_feeds(graph, dw.outputs[0], pool):
        return False
    if not all_supported(graph, (dw, pool)):
        return False
    tensors = (dw.inputs[0], dw.outputs[0], pool.outputs[0])
    return all(graph.tensors[t].dtype == "float32" for t in tensors)


def fuse_depthwise_max_pool(graph: Graph) -> Graph:
    """A new graph with every fusable DEPTHWISE_CONV_2D -> MAX_POOL_2D pair fused (operators
    renumbered in order); the input graph is not changed. The verifier runs on the result."""
    producer = producers(graph)
    fused: dict[int, Operator] = {}  # pool index -> the fused operator
    skipped: set[int] = set()
    for op in graph.operators:
        dw = producer.get(op.inputs[0]) if op.inputs else None
        if dw is not None and fusable(graph, dw, op):
            fused[op.index] = Operator(index=op.index, op_type=OP_TYPE, inputs=tuple(dw.inputs),
                                       outputs=tuple(op.outputs),
                                       options={"depthwise": dw, "max_pool": op})
            skipped.add(dw.index)
    return rewrite(graph, fused, skipped)
