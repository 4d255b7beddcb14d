"""Fuse DEPTHWISE_CONV_2D -> [RESHAPE] -> FULLY_CONNECTED (int8) into one MF_DEPTHWISE_FC.

The fused kernel computes the depthwise output row by row and accumulates each row into the
fully connected units at once, so the depthwise output (TFLM micro_speech: 4,000 B) never
exists in memory. Integer sums: bit-exact with running the two ops one after the other.
"""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.depthwise_fc import OP_TYPE
from microforge.passes.fusion_common import all_supported, only_feeds, producers, rewrite


def fusable(graph: Graph, dw: Operator, fc: Operator, reshape: Operator | None = None) -> bool:
    """fc reads the whole int8 output of dw (one row of fc per batch; through `reshape` when
    given) and nothing else does."""
    if dw.op_type != "DEPTHWISE_CONV_2D" or fc.op_type != "FULLY_CONNECTED":
        return False
    if len(dw.outputs) != 1 or not fc.inputs:
        return False
    mid = dw.outputs[0]
    chain = [(mid, fc)] if reshape is None else [(mid, reshape), (reshape.outputs[0], fc)]
    if reshape is not None and (reshape.op_type != "RESHAPE" or len(reshape.outputs) != 1):
        return False
    if chain[-1][0] != fc.inputs[0] or chain[0][1].inputs[0] != mid:
        return False
    if not all(only_feeds(graph, t, reader) for t, reader in chain):
        return False
    if not all_supported(graph, (dw, fc)):
        return False
    x, out, w = graph.tensors[dw.inputs[0]], graph.tensors[mid], graph.tensors[fc.inputs[1]]
    if (x.dtype, out.dtype, graph.tensors[fc.outputs[0]].dtype) != ("int8",) * 3:
        return False
    if len(out.shape) != 4 or len(w.shape) != 2:
        return False
    per_batch = out.shape[1] * out.shape[2] * out.shape[3]
    return w.shape[1] == per_batch  # fc batches == depthwise batches


def fuse_depthwise_fc(graph: Graph) -> Graph:
    """A new graph with every fusable DEPTHWISE_CONV_2D -> FULLY_CONNECTED pair fused (operators
    renumbered in order); the input graph is not changed. The verifier runs on the result."""
    producer = producers(graph)
    fused_fc: dict[int, Operator] = {}  # fc index -> its depthwise
    skipped: set[int] = set()  # the depthwise (and reshape) operators folded into a fused one
    for op in graph.operators:
        before = producer.get(op.inputs[0]) if op.inputs else None
        if before is None:
            continue
        if before.op_type == "RESHAPE" and before.inputs:
            dw = producer.get(before.inputs[0])
            if dw is not None and fusable(graph, dw, op, before):
                fused_fc[op.index] = dw
                skipped |= {dw.index, before.index}
        elif fusable(graph, before, op):
            fused_fc[op.index] = before
            skipped.add(before.index)
    by_index = {op.index: op for op in graph.operators}
    fused = {i: Operator(index=i, op_type=OP_TYPE,
                         inputs=tuple(dw.inputs) + tuple(by_index[i].inputs[1:]),
                         outputs=tuple(by_index[i].outputs),
                         options={"depthwise": dw, "fully_connected": by_index[i]})
             for i, dw in fused_fc.items()}
    return rewrite(graph, fused, skipped)
