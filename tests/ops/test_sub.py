"""SUB: prepare (float32 multipliers, as TFLM) + add_sub_s8 / binary_f32, bit-exact with TFLM."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import (
    compare_compiled_with_tflm,
    float_model,
    int8_variants,
)
from tests.ops.kernel_harness import compare_with_tflm


def test_int8_matches_tflm_on_random_quantization(tf, tflm, tmp_path):
    models = int8_variants(lambda a, b: a - b, [[2, 3, 5], [2, 3, 5]], n=16, seed=11)
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(0))
    assert result.models == 16


def test_int8_broadcast_with_relu(tf, tflm, tmp_path):
    models = int8_variants(lambda a, b: tf.nn.relu(a - b), [[3, 1, 7], [1, 4, 1]], n=8, seed=12)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(1)).models == 8


def test_float_matches_tflm(tf, tflm, tmp_path):
    model = float_model(lambda a, b: a - b, [[1, 1], [9]])
    assert compare_with_tflm([model], tmp_path, np.random.default_rng(2)).invocations == 4


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_int8_sweep(seed, tf, tflm, tmp_path):
    models = int8_variants(lambda a, b: a - b, [[2, 5, 1, 3], [5, 4, 1]], n=50, seed=seed)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(seed)).models == 50


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(lambda a, b: a - b, [[3, 1, 7], [1, 4, 1]], n=3, seed=15) + [
        float_model(lambda a, b: a - b, [[2, 5], [2, 5]])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0


@pytest.mark.parametrize("shapes", [([2, 3, 5], [2, 3, 5]), ([1, 4, 1, 3], [2, 1, 5, 1]),
                                    ([3, 1, 7], [1])], ids=lambda s: f"{s[0]}x{s[1]}")
def test_int16_matches_tflm(shapes, tf, tflm, tmp_path):
    """16x8 SUB (TFLM: left_shift 15, multipliers in float32), random int16 scales."""
    from tests.ops.elementwise_cases import int16_variants

    models = int16_variants(lambda a, b: tf.nn.relu(a - b), shapes, n=8, seed=31)
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(8))
    assert result.models + result.skipped == 8 and result.models >= 6
