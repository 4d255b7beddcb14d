"""passes.fusion_common: readers of a tensor, support check, and the renumbering rewrite."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.passes.fusion_common import (
    all_supported,
    only_feeds,
    only_feeds_any,
    producers,
    rewrite,
)


def _chain() -> Graph:
    """x -> RELU -> a -> RELU -> b -> ADD(b, b) -> c (float32)."""
    tensors = [Tensor(i, name, (1, 4), "float32") for i, name in enumerate("xabc")]
    ops = [Operator(0, "RELU", (0,), (1,)), Operator(1, "RELU", (1,), (2,)),
           Operator(2, "ADD", (2, 2), (3,), {})]
    return Graph("chain", tensors, ops, [0], [3])


def test_producers_and_readers() -> None:
    graph = _chain()
    assert {t: op.index for t, op in producers(graph).items()} == {1: 0, 2: 1, 3: 2}
    assert only_feeds(graph, 1, graph.operators[1])
    assert not only_feeds(graph, 2, graph.operators[2])  # also its second input
    assert not only_feeds_any(graph, 2, graph.operators[2])  # read twice
    assert not only_feeds(graph, 3, graph.operators[2])  # a graph output
    assert all_supported(graph, graph.operators[:2])
    assert not all_supported(graph, [Operator(9, "NO_SUCH_OP", (0,), (1,))])


def test_rewrite_replaces_drops_and_renumbers() -> None:
    graph = _chain()
    assert rewrite(graph, {}, set()) is graph
    fused = Operator(1, "RELU", (0,), (2,), {"note": "fused"})
    result = rewrite(graph, {1: fused}, {0})
    assert [(op.index, op.inputs, op.outputs) for op in result.operators] == [
        (0, (0,), (2,)), (1, (2, 2), (3,))]
    assert result.operators[0].options == {"note": "fused"}
    assert [op.index for op in graph.operators] == [0, 1, 2]  # the input graph is kept
