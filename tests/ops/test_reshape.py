"""RESHAPE: an alias inside the graph (no copy), a copy when it produces a graph output."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microforge.runners.host import compile_and_load
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import assert_matches_tflm, op_types


def test_reshape_as_graph_output_copies(tf, tflm, tmp_path: Path) -> None:
    model = build_tflite(lambda x: tf.reshape(x, (2, 12)), [(1, 4, 6)], "int8")
    assert op_types(model) == ["RESHAPE"]
    assert_matches_tflm(model, tmp_path / "op")
    assert "memcpy(output0, input0, 24);" in (tmp_path / "op" / "op.c").read_text()


def test_reshape_inside_graph_is_free(tf, tflm, tmp_path: Path) -> None:
    w = tf.constant(np.random.default_rng(0).normal(0, 0.3, (24, 12)).astype(np.float32))

    def fn(x):
        return tf.nn.softmax(tf.reshape(tf.matmul(x, w), (2, 6)))

    model = build_tflite(fn, [(1, 24)], "float")
    assert "RESHAPE" in op_types(model)
    assert_matches_tflm(model, tmp_path / "op")
    source = (tmp_path / "op" / "op.c").read_text()
    assert "memcpy" not in source
    compiled = compile_and_load(model, tmp_path / "again", "again")
    assert compiled.arena_size > 0
