"""passes.fold_layout_transposes: the NCHW flatten transpose moves into the FC weights, inverse
pairs cancel; the compiled C stays bit-exact with TFLM (int8) on the unfolded model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.codegen.compiler import compile_model
from microforge.ir.graph import Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.ir.tflite_reader import read_tflite
from microforge.passes.fold_layout_transposes import fold_layout_transposes, layout_transposes
from microforge.runners.host import CompiledModel
from microforge.runners.tflm import run_tflm
from tests.ops.tflite_build import build_tflite, random_inputs


def _flatten_fc(tf):
    w = np.random.default_rng(1).normal(0, 0.3, (4 * 3 * 2, 5)).astype(np.float32)

    def fn(x):  # NHWC map, flattened in NCHW order (as an ONNX Flatten after a conv)
        return tf.matmul(tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [1, -1]), w)

    return fn


@pytest.mark.parametrize("mode", ["int8", "float"])
def test_flatten_transpose_folds_into_fc(tf, tflm, tmp_path: Path, mode: str) -> None:
    model = build_tflite(_flatten_fc(tf), [(1, 4, 3, 2)], mode)
    graph = read_tflite(model)
    assert layout_transposes(graph) == 1
    folded = fold_layout_transposes(graph)
    assert layout_transposes(folded) == 0
    assert layout_transposes(graph) == 1  # the input graph is kept
    compiled = CompiledModel(compile_model(model, tmp_path / "c"))
    assert "TRANSPOSE" not in [op.op_type for op in compiled.info.ops]
    for inputs in random_inputs(model, 20, seed=3):
        got = compiled.run(inputs)[0]
        want = run_tflm(model, inputs)[0]
        if mode == "int8":
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def _pair_graph() -> Graph:
    """x -> TRANSPOSE [0,3,1,2] -> TRANSPOSE [0,2,3,1] -> RELU -> y (float32)."""
    def t(i: int, shape: tuple[int, ...], data: np.ndarray | None = None) -> Tensor:
        return Tensor(i, f"t{i}", shape, "int32" if data is not None else "float32", None, data)

    tensors = [t(0, (1, 4, 3, 2)), t(1, (4,), np.array([0, 3, 1, 2], np.int32)),
               t(2, (1, 2, 4, 3)), t(3, (4,), np.array([0, 2, 3, 1], np.int32)),
               t(4, (1, 4, 3, 2)), t(5, (1, 4, 3, 2))]
    ops = [Operator(0, "TRANSPOSE", (0, 1), (2,)), Operator(1, "TRANSPOSE", (2, 3), (4,)),
           Operator(2, "RELU", (4,), (5,))]
    return Graph("pair", tensors, ops, [0], [5])


def test_inverse_pair_cancels() -> None:
    folded = fold_layout_transposes(_pair_graph())
    assert [(op.op_type, op.inputs, op.index) for op in folded.operators] == [("RELU", (0,), 0)]


def test_pair_ending_at_graph_output_is_kept() -> None:
    graph = _pair_graph()
    graph.operators.pop()
    graph.outputs = [4]
    assert fold_layout_transposes(graph) is graph


def test_transpose_read_twice_is_kept(tf) -> None:
    def fn(x):
        t = tf.transpose(x, [0, 3, 1, 2])
        return tf.reshape(t, [1, -1]), t * 2.0

    graph = read_tflite(build_tflite(fn, [(1, 4, 3, 2)], "float"))
    assert layout_transposes(fold_layout_transposes(graph)) == layout_transposes(graph) >= 1
