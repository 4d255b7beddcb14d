"""MAX_POOL_2D vs TFLM on generated single-op models: int8 bit-exact, float32 rtol 1e-5."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.layout_harness import check_both_layers
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import assert_matches_tflm, op_types


def max_pool_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(1, 3))
    h, w = int(rng.integers(1, 12)), int(rng.integers(1, 12))
    c = int(rng.choice([1, 2, 3, 5, 8, 13]))
    padding = "SAME" if rng.random() < 0.5 else "VALID"
    kh, kw = int(rng.integers(1, min(h, 4) + 1)), int(rng.integers(1, min(w, 4) + 1))
    sh, sw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    activation = [lambda v: v, tf.nn.relu, tf.nn.relu6][int(rng.integers(0, 3))]
    lo = float(rng.uniform(-8.0, 0.0))
    hi = float(rng.uniform(0.5, 8.0))

    def fn(x):
        return activation(tf.nn.max_pool2d(x, [kh, kw], [sh, sw], padding))

    return build_tflite(fn, [(n, h, w, c)], mode, seed=seed, input_range=(lo, hi))


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(4))
def test_max_pool_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = max_pool_model(seed, mode)
    assert op_types(model) == ["MAX_POOL_2D"]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(4, 40))
def test_max_pool_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = max_pool_model(seed, mode)
    assert "MAX_POOL_2D" in op_types(model)
    check_both_layers(model, tmp_path, seed=seed)


def test_fused_relu6_clamps_in_the_kernel(tf, tflm, tmp_path: Path) -> None:
    def fn(x):
        return tf.nn.relu6(tf.nn.max_pool2d(x, 2, 2, "SAME"))

    model = build_tflite(fn, [(1, 6, 6, 3)], "float", input_range=(-10.0, 10.0))
    assert op_types(model) == ["MAX_POOL_2D"]
    from microforge.ir.tflite_reader import read_tflite

    assert read_tflite(model).operators[0].options["fused_activation_function"] == "RELU6"
    check_both_layers(model, tmp_path)


@pytest.mark.parametrize("seed", range(5))
def test_max_pool_16x8_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    """int16 activations (16x8)."""
    model = max_pool_model(seed, "16x8")
    assert op_types(model) == ["MAX_POOL_2D"]
    assert_matches_tflm(model, tmp_path / "op", n=8, seed=seed)
