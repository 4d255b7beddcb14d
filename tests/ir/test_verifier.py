"""Structural checks of the IR graph."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.errors import ModelError
from microforge.ir import Graph, Operator, Tensor
from microforge.ir.tflite_reader import read_tflite
from microforge.ir.verifier import verify_graph


def _chain() -> Graph:
    tensors = [
        Tensor(0, "in", (1, 4), "float32"),
        Tensor(1, "w", (4, 4), "float32", data=np.zeros((4, 4), np.float32)),
        Tensor(2, "mid", (1, 4), "float32"),
        Tensor(3, "out", (1, 4), "float32"),
    ]
    ops = [
        Operator(0, "FULLY_CONNECTED", (0, 1, -1), (2,)),
        Operator(1, "RELU", (2,), (3,)),
    ]
    return Graph("g", tensors, ops, [0], [3])


def test_valid_graph_passes() -> None:
    verify_graph(_chain())


def test_shared_models_pass(shared_data: Path) -> None:
    for path in sorted((shared_data / "models").glob("*/*.tflite")):
        if "audio_preprocessor" in path.name:
            continue
        verify_graph(read_tflite(path))


def test_use_before_definition() -> None:
    graph = _chain()
    graph.operators.reverse()
    for i, op in enumerate(graph.operators):
        op.index = i
    with pytest.raises(ModelError, match=r"operator 0 \(RELU\): input tensor 2 .*before"):
        verify_graph(graph)


def test_tensor_produced_twice() -> None:
    graph = _chain()
    graph.operators[1].outputs = (2,)
    with pytest.raises(ModelError, match="already produced by operator 0"):
        verify_graph(graph)


def test_writing_a_constant() -> None:
    graph = _chain()
    graph.operators[1].outputs = (1,)
    with pytest.raises(ModelError, match="a constant, a variable or a graph input"):
        verify_graph(graph)


def test_output_never_produced() -> None:
    graph = _chain()
    graph.operators.pop()
    with pytest.raises(ModelError, match="graph output tensor 3 .*never produced"):
        verify_graph(graph)


def test_dtype_mismatch() -> None:
    graph = _chain()
    graph.tensors[3] = Tensor(3, "out", (1, 4), "int8")
    with pytest.raises(ModelError, match=r"operator 1 \(RELU\): input 0 is float32 but the output is int8"):
        verify_graph(graph)


def test_constant_shape_mismatch() -> None:
    graph = _chain()
    graph.tensors[1].data = np.zeros((2, 8), np.float32)
    with pytest.raises(ModelError, match="constant data shape"):
        verify_graph(graph)
