"""The shared part of the fusion passes (passes/fuse_*.py): who reads a tensor, whether the
original operators are supported, and the rewrite that puts the fused operators in place."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from microforge.ir.graph import Graph, Operator
from microforge.ir.verifier import verify_graph
from microforge.ops.base import get_op


def producers(graph: Graph) -> dict[int, Operator]:
    """Tensor index -> the operator that writes it."""
    return {t: op for op in graph.operators for t in op.outputs}


def only_feeds(graph: Graph, tensor: int, op: Operator) -> bool:
    """`tensor` is read by `op` alone, as its first input only, and is no graph output."""
    return (tensor not in graph.outputs and tensor not in op.inputs[1:]
            and [c.index for c in graph.consumers(tensor)] == [op.index])


def only_feeds_any(graph: Graph, tensor: int, op: Operator) -> bool:
    """`tensor` is read by `op` alone (at any input position) and is no graph output."""
    return (tensor not in graph.outputs
            and [c.index for c in graph.consumers(tensor)] == [op.index]
            and list(op.inputs).count(tensor) == 1)


def all_supported(graph: Graph, ops: Iterable[Operator]) -> bool:
    """Every operator has an op module that implements it as it is, and none is part of an
    inlined IF branch or WHILE loop (ir/control_flow.py: fusions leave those alone)."""
    for op in ops:
        if op.guards or op.loop_depth:
            return False
        opdef = get_op(op.op_type)
        if opdef is None or opdef.unsupported_reason(op, graph) is not None:
            return False
    return True


def rewrite(graph: Graph, fused: dict[int, Operator], skipped: set[int]) -> Graph:
    """A new graph where the operator at each index of `fused` is replaced by its fused
    operator and those in `skipped` are dropped, renumbered in order and verified; `graph`
    itself when nothing is fused."""
    if not fused:
        return graph
    operators: list[Operator] = []
    for op in graph.operators:
        if op.index in skipped:
            continue
        op = fused.get(op.index, op)
        operators.append(dataclasses.replace(op, index=len(operators)))
    result = dataclasses.replace(graph, operators=operators)
    verify_graph(result)
    return result
