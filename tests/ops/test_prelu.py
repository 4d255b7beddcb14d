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


def test_int16_every_value_matches_tflm(tflm, tmp_path):
    """int16 input / output with int8 alpha (TFLM's 16x8 PRELU, hand-built): every int16 value
    against a per-channel alpha vector (broadcast over rows), random scales and zero points
    (TFLM checks none), both layers bit-exact."""
    from tests.ops.int16_unary_cases import SHAPE as RAMP
    from tests.ops.int16_unary_cases import every_int16_value
    from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

    rng = np.random.default_rng(83)
    for k in range(4):
        zp = (0, 0, 0) if k < 2 else (int(rng.integers(-50, 50)), int(rng.integers(-20, 20)),
                                      int(rng.integers(-50, 50)))
        s_in, s_alpha, s_out = (float(10 ** rng.uniform(-5, -2)), float(10 ** rng.uniform(-3, -1)),
                                float(10 ** rng.uniform(-5, -2)))
        alpha = rng.integers(-128, 128, size=RAMP[1:], dtype=np.int8)
        tensors = [RawTensor(RAMP, "int16", (s_in, zp[0])),
                   RawTensor(RAMP[1:], "int8", (s_alpha, zp[1]), data=alpha),
                   RawTensor(RAMP, "int16", (s_out, zp[2]))]
        model = raw_tflite(tensors, [RawOp("PRELU", (0, 1), (2,))], [0], [2])
        check_samples(model, tmp_path / str(k), every_int16_value())
