"""AVERAGE_POOL_2D vs TFLM on generated single-op models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import assert_matches_tflm, op_types


def pool_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(200 + seed)
    h, w, c = int(rng.integers(2, 12)), int(rng.integers(2, 12)), int(rng.integers(1, 8))
    kh, kw = int(rng.integers(1, min(h, 4) + 1)), int(rng.integers(1, min(w, 4) + 1))
    sh, sw = int(rng.integers(1, 3)), int(rng.integers(1, 3))
    padding = "SAME" if rng.random() < 0.5 else "VALID"

    def fn(x):
        return tf.nn.avg_pool2d(x, ksize=[kh, kw], strides=[sh, sw], padding=padding)

    return build_tflite(fn, [(1, h, w, c)], mode, seed=seed)


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_average_pool_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = pool_model(seed, mode)
    assert op_types(model) == ["AVERAGE_POOL_2D"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(4, 16))
def test_average_pool_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = pool_model(seed, mode)
    assert op_types(model) == ["AVERAGE_POOL_2D"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)


@pytest.mark.parametrize("seed", range(5))
def test_average_pool_16x8_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    """int16 activations (16x8): TFLM's rounding division over the clipped window."""
    model = pool_model(seed, "16x8")
    assert op_types(model) == ["AVERAGE_POOL_2D"]
    assert_matches_tflm(model, tmp_path / "op", n=8, seed=seed)
