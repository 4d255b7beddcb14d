"""MF_DEPTHWISE_MAX_POOL (DEPTHWISE_CONV_2D -> MAX_POOL_2D fused, float32) vs TFLM."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import assert_matches_tflm, op_types


def depthwise_pool_model(seed: int, mode: str = "float") -> bytes:
    """depthwise (random geometry, multiplier, activation) -> max pool (maybe overlapping)."""
    import tensorflow as tf

    rng = np.random.default_rng(500 + seed)
    h, w = int(rng.integers(4, 16)), int(rng.integers(1, 6))
    cin, mult = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, min(w, 3) + 1))
    padding = "SAME" if seed % 2 else "VALID"
    pool_h, pool_w = int(rng.integers(1, 4)), int(rng.integers(1, min(w, 2) + 1))
    pool_stride = int(rng.integers(1, pool_h + 1))  # stride < filter: overlapping windows
    pool_padding = "SAME" if seed % 3 == 0 else "VALID"
    act = ["NONE", "RELU", "RELU6"][seed % 3]
    filters = tf.constant(rng.normal(0, 0.5, (kh, kw, cin, mult)).astype(np.float32))
    bias = tf.constant(rng.normal(0, 0.2, (cin * mult,)).astype(np.float32))

    def fn(x):
        y = tf.nn.depthwise_conv2d(x, filters, strides=[1, 1, 1, 1], padding=padding) + bias
        y = {"NONE": y, "RELU": tf.nn.relu(y), "RELU6": tf.nn.relu6(y)}[act]
        return tf.nn.max_pool2d(y, (pool_h, pool_w), (pool_stride, 1), pool_padding)

    return build_tflite(fn, [(1, h, w, cin)], mode, seed=seed)


@pytest.mark.parametrize("seed", range(6))
def test_depthwise_max_pool_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    model = depthwise_pool_model(seed)
    assert op_types(model) == ["DEPTHWISE_CONV_2D", "MAX_POOL_2D"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)
    source = (tmp_path / "op" / "op.c").read_text()
    assert "mf_depthwise_max_pool_f32(&dw, &pool" in source


def test_float_results_are_bit_identical_to_the_unfused_ops(tf, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from microforge.codegen import compiler
    from microforge.runners.host import CompiledModel
    from tests.ops.tflite_build import random_inputs

    model = depthwise_pool_model(3)
    fused = CompiledModel(compiler.compile_model(model, tmp_path / "fused", "op"))
    monkeypatch.setattr(compiler, "FUSIONS", ())
    plain = CompiledModel(compiler.compile_model(model, tmp_path / "plain", "op"))
    assert [s.op_type for s in fused.info.ops] == ["MF_DEPTHWISE_MAX_POOL"]
    assert [s.op_type for s in plain.info.ops] == ["DEPTHWISE_CONV_2D", "MAX_POOL_2D"]
    assert fused.arena_size < plain.arena_size
    for sample in random_inputs(model, 10, seed=1):
        np.testing.assert_array_equal(fused.run(sample)[0], plain.run(sample)[0])


def test_int8_is_not_fused(tf, tflm, tmp_path: Path) -> None:
    model = depthwise_pool_model(1, "int8")
    assert_matches_tflm(model, tmp_path / "op")
    assert "mf_depthwise_max_pool" not in (tmp_path / "op" / "op.c").read_text()
