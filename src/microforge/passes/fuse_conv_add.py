"""Fuse a float32 CONV_2D that only feeds an ADD into MF_CONV_ADD (residual shortcuts).

The convolution (no groups, 8 or more outputs: the blocked float kernel, constant filter) is
computed row by row and added into the ADD's other operand, in place when the planner allows
(ResNet-8 float: the 32 KB shortcut output of each downsampling block is never stored).
Runs after `fuse_residual_block`.
"""

from __future__ import annotations

from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ops.conv_add import OP_TYPE
from microforge.passes.fusion_common import all_supported, only_feeds_any, producers, rewrite


def _blocked_float_conv(graph: Graph, op: Operator | None) -> bool:
    if op is None or op.op_type != "CONV_2D" or len(op.inputs) < 2 or len(op.outputs) != 1:
        return False
    x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
    y = graph.tensors[op.outputs[0]]
    return (x.dtype == y.dtype == w.dtype == "float32" and w.is_constant
            and len(w.shape) == 4 and len(x.shape) == 4 and w.shape[3] == x.shape[3]
            and w.shape[0] >= 8)


def conv_of(graph: Graph, add: Operator,
            producer: dict[int, Operator]) -> tuple[Operator, int] | None:
    """(conv, the other operand) when `add` adds a fusable conv's output to a same-shape
    tensor."""
    if add.op_type != "ADD" or len(add.inputs) != 2 or len(add.outputs) != 1:
        return None
    out = graph.tensors[add.outputs[0]]
    if out.dtype != "float32":
        return None
    for pos in (0, 1):
        s, other = add.inputs[pos], add.inputs[1 - pos]
        conv = producer.get(s)
        if not _blocked_float_conv(graph, conv) or s == other or other == NO_TENSOR:
            continue
        assert conv is not None
        if graph.tensors[other].shape != out.shape or graph.tensors[s].shape != out.shape:
            continue
        if not only_feeds_any(graph, s, add):
            continue
        if not all_supported(graph, (conv, add)):
            continue
        return conv, other
    return None


def fuse_conv_add(graph: Graph) -> Graph:
    """A new graph with every fusable CONV_2D -> ADD fused (operators renumbered); the input
    graph is not changed. The verifier runs on the result."""
    producer = producers(graph)
    fused: dict[int, Operator] = {}
    skipped: set[int] = set()
    for op in graph.operators:
        found = conv_of(graph, op, producer)
        if found is None:
            continue
        conv, other = found
        bias = conv.inputs[2] if len(conv.inputs) > 2 else NO_TENSOR
        fused[op.index] = Operator(index=op.index, op_type=OP_TYPE,
                                   inputs=(conv.inputs[0], conv.inputs[1], bias, other),
                                   outputs=tuple(op.outputs), options={"conv": conv, "add": op})
        skipped.add(conv.index)
    return rewrite(graph, fused, skipped)
