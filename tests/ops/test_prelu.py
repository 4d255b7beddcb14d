"""PRELU: int8 bit-exact with TFLM (alpha per element and broadcast per channel), float32
within rtol 1e-5."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model, int8_variants
from tests.ops.kernel_harness import compare_with_tflm

SHAPE = [1, 4, 5, 13]  # 260 values: the first sample covers all 256 inputs


def prelu(tf, shared_axes=None, seed=1):
    layer = tf.keras.layers.PReLU(
        alpha_initializer=tf.keras.initializers.RandomUniform(-0.5, 1.5, seed=seed),
        shared_axes=shared_axes)
    layer.build([None, *SHAPE[1:]])
    return layer


def test_int8_matches_tflm(tf, tflm, tmp_path):
    models = (int8_variants(prelu(tf), [SHAPE], n=8, seed=81, log10_scale=(-3.0, 0.5))
              + int8_variants(prelu(tf, [1, 2], seed=2), [SHAPE], n=8, seed=82,
                              log10_scale=(-3.0, 0.5)))
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(0), n_samples=3).models == 16


def test_float_matches_tflm(tf, tflm, tmp_path):
    models = [float_model(prelu(tf), [SHAPE]), float_model(prelu(tf, [1, 2]), [SHAPE])]
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(2), n_samples=4).models == 2


@pytest.mark.slow
def test_int8_sweep(tf, tflm, tmp_path):
    models = int8_variants(prelu(tf, [1, 2], seed=3), [SHAPE], n=150, seed=83,
                           log10_scale=(-4.0, 1.0))
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(3), n_samples=1)
    assert result.models + result.skipped == 150 and result.models > 0


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(prelu(tf, [1, 2]), [SHAPE], n=3, seed=84) + [
        float_model(prelu(tf, [1, 2]), [SHAPE])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0
