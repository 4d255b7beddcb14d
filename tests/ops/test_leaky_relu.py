"""LEAKY_RELU: identity/alpha multipliers (float32 Prepare math, as TFLM), bit-exact."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import (
    compare_compiled_with_tflm,
    float_model,
    int8_variants,
)
from tests.ops.kernel_harness import compare_with_tflm

SHAPE = [2, 131]


@pytest.mark.parametrize("alpha", [0.2, 0.01, 1.5, -0.3])
def test_int8_matches_tflm_exhaustively(alpha, tf, tflm, tmp_path):
    models = int8_variants(lambda x: tf.nn.leaky_relu(x, alpha), [SHAPE], n=6, seed=71)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(0), n_samples=2).models == 6


def test_float_matches_tflm(tf, tflm, tmp_path):
    model = float_model(lambda x: tf.nn.leaky_relu(x, 0.1), [[1, 1]])
    assert compare_with_tflm([model], tmp_path, np.random.default_rng(2), n_samples=6).models == 1


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(lambda x: tf.nn.leaky_relu(x, 0.3), [SHAPE], n=3, seed=75) + [
        float_model(lambda x: tf.nn.leaky_relu(x, 0.3), [[3, 67]])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0


@pytest.mark.parametrize("alpha", [0.2, 0.01, 1.5, -0.3])
def test_int16_every_value_matches_tflm(alpha, tf, tflm, tmp_path):
    """16x8 converter models (int16 in and out, random input ranges, hence scales): every
    int16 value through both layers, bit-exact with TFLM's QuantizeLeakyRelu<int16_t>."""
    from tests.ops.int16_unary_cases import SHAPE as RAMP
    from tests.ops.int16_unary_cases import check_every_value
    from tests.ops.tflite_build import build_tflite
    from tests.ops.tflm_compare import op_types

    rng = np.random.default_rng(72)
    for k in range(3):
        lo, hi = -float(10 ** rng.uniform(-1, 1)), float(10 ** rng.uniform(-1, 1))
        model = build_tflite(lambda x: tf.nn.leaky_relu(x, alpha), [list(RAMP)], "16x8",
                             seed=k, input_range=(lo, hi), n_representative=4)
        assert op_types(model) == ["LEAKY_RELU"]
        check_every_value(model, tmp_path / str(k))
