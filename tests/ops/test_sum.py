"""SUM vs TFLM on generated single-op models (random ranks, axes, keep_dims and
quantization ranges): int8 bit-exact, float32 rtol 1e-5."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.layout_harness import check_both_layers
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import op_types


def sum_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(3000 + seed)
    rank = int(rng.integers(1, 5))
    shape = [int(rng.choice([2, 3, 4, 5, 7])) for _ in range(rank)]
    axes = sorted(rng.choice(rank, size=int(rng.integers(1, rank + 1)), replace=False).tolist())
    keepdims = bool(rng.random() < 0.5)
    lo = float(rng.uniform(-2.0, 0.5))
    hi = lo + float(rng.uniform(0.2, 3.0))

    def fn(x):
        return tf.reduce_sum(x, axis=axes, keepdims=keepdims)

    return build_tflite(fn, [shape], mode, seed=seed, input_range=(lo, hi))


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(4))
def test_sum_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = sum_model(seed, mode)
    assert "SUM" in op_types(model)
    check_both_layers(model, tmp_path, seed=seed)
