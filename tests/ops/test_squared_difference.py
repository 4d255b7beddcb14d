"""SQUARED_DIFFERENCE: int8 bit-exact with TFLM (same shapes and broadcast), float32 within
rtol 1e-5."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model, int8_variants
from tests.ops.kernel_harness import compare_with_tflm

SAME = [[2, 131], [2, 131]]
BROADCAST = [[2, 3, 44], [1, 44]]


def fn(tf):
    return tf.math.squared_difference


def test_int8_matches_tflm(tf, tflm, tmp_path):
    models = (int8_variants(fn(tf), SAME, n=8, seed=91, log10_scale=(-3.0, 0.5))
              + int8_variants(fn(tf), BROADCAST, n=8, seed=92, log10_scale=(-3.0, 0.5)))
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(0), n_samples=3).models == 16


def test_float_matches_tflm(tf, tflm, tmp_path):
    models = [float_model(fn(tf), SAME), float_model(fn(tf), BROADCAST)]
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(2), n_samples=4).models == 2


@pytest.mark.slow
def test_int8_sweep(tf, tflm, tmp_path):
    models = int8_variants(fn(tf), SAME, n=150, seed=93, log10_scale=(-4.0, 1.0))
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(3), n_samples=1)
    assert result.models + result.skipped == 150 and result.models > 0


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(fn(tf), BROADCAST, n=3, seed=94) + [float_model(fn(tf), BROADCAST)]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0
