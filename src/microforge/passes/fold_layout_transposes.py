"""Fold the NCHW <-> NHWC layout TRANSPOSEs an ONNX -> TFLite conversion leaves.

Two patterns, both exact (data movement only):

- TRANSPOSE -> RESHAPE (flatten) -> FULLY_CONNECTED: ONNX flattens a feature map in NCHW
  order, so a converter to NHWC transposes it back before the flatten. The permutation is moved
  into the constant weight columns of the FULLY_CONNECTED instead (int8 weights keep their
  per-output-row quantization: only columns move), and the RESHAPE reads the NHWC map.
- TRANSPOSE(p) -> TRANSPOSE(p^-1): the pair is dropped.

`layout_transposes(graph)` counts the TRANSPOSEs that remain (reported by the importer).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.ir.verifier import verify_graph
from microforge.ops.layout_common import const_ints


def _perm(graph: Graph, op: Operator) -> tuple[int, ...] | None:
    if op.op_type != "TRANSPOSE" or len(op.inputs) != 2 or len(op.outputs) != 1:
        return None
    perm = const_ints(graph, op, 1)
    rank = len(graph.tensors[op.inputs[0]].shape)
    if perm is None or sorted(perm) != list(range(rank)):
        return None
    return tuple(perm)


def _sole_consumer(graph: Graph, tensor: int) -> Operator | None:
    if tensor in graph.outputs:
        return None
    readers = graph.consumers(tensor)
    if len(readers) != 1 or list(readers[0].inputs).count(tensor) != 1:
        return None
    return readers[0]


def _fc_reading(graph: Graph, flat: int) -> list[Operator] | None:
    """The FULLY_CONNECTED operators reading `flat` as input 0 with constant 2-D weights, or
    None when anything else reads it."""
    if flat in graph.outputs:
        return None
    readers = graph.consumers(flat)
    if not readers:
        return None
    for op in readers:
        if op.op_type != "FULLY_CONNECTED" or len(op.inputs) < 2 or op.inputs[0] != flat \
                or flat in op.inputs[1:]:
            return None
        w = graph.tensors[op.inputs[1]]
        if not w.is_constant or len(w.shape) != 2:
            return None
    return readers


def _column_order(shape: tuple[int, ...], perm: tuple[int, ...]) -> np.ndarray:
    """For each flat position k of the transposed map, the flat position in the original."""
    return np.arange(int(np.prod(shape))).reshape(shape).transpose(perm).reshape(-1)


def fold_layout_transposes(graph: Graph) -> Graph:
    """A new graph with the foldable layout TRANSPOSEs removed (operators renumbered; the
    input graph is unchanged); `graph` itself when there is none. Verified."""
    tensors = list(graph.tensors)
    replaced: dict[int, Operator] = {}
    dropped: set[int] = set()
    renamed: dict[int, int] = {}  # tensor -> the tensor it equals (cancelled pairs)
    for op in graph.operators:
        perm = _perm(graph, op)
        if perm is None or op.index in dropped:
            continue
        x, y = op.inputs[0], op.outputs[0]
        nxt = _sole_consumer(graph, y)
        if nxt is None or nxt.index in dropped or nxt.index in replaced:
            continue
        inner = _perm(graph, nxt)
        if inner is not None and tuple(perm[i] for i in inner) == tuple(range(len(perm))):
            dropped |= {op.index, nxt.index}  # y2 = x: readers of y2 read x
            renamed[nxt.outputs[0]] = x
            continue
        shape = graph.tensors[x].shape
        if nxt.op_type != "RESHAPE" or not shape or shape[0] != 1 or perm[0] != 0:
            continue
        flat = nxt.outputs[0]
        if graph.tensors[flat].shape != (1, int(np.prod(shape))):
            continue
        fcs = _fc_reading(graph, flat)
        if fcs is None or any(fc.index in replaced for fc in fcs):
            continue
        order = _column_order(shape, perm)
        for fc in fcs:
            w = tensors[fc.inputs[1]]
            assert w.data is not None
            if w.shape[1] != len(order):
                break
        else:
            for fc in fcs:
                w = tensors[fc.inputs[1]]
                assert w.data is not None
                data = np.empty_like(w.data)
                data[:, order] = w.data
                new = Tensor(len(tensors), f"{w.name}/nhwc", w.shape, w.dtype, w.quant, data)
                tensors.append(new)
                replaced[fc.index] = dataclasses.replace(
                    fc, inputs=(fc.inputs[0], new.index, *fc.inputs[2:]))
            replaced[nxt.index] = dataclasses.replace(nxt, inputs=(x, *nxt.inputs[1:]))
            dropped.add(op.index)
    if not dropped:
        return graph
    if any(t in graph.outputs for t in renamed):
        return graph  # a cancelled pair ending at a graph output: keep the tensor it names
    operators: list[Operator] = []
    for op in graph.operators:
        if op.index in dropped:
            continue
        op = replaced.get(op.index, op)
        inputs = tuple(renamed.get(t, t) if t != NO_TENSOR else t for t in op.inputs)
        operators.append(dataclasses.replace(op, index=len(operators), inputs=inputs))
    result = dataclasses.replace(graph, tensors=tensors, operators=operators)
    verify_graph(result)
    return result


def layout_transposes(graph: Graph) -> int:
    """The number of TRANSPOSE operators in the graph."""
    return sum(op.op_type == "TRANSPOSE" for op in graph.operators)
