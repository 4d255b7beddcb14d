"""RELU6: int8 raw clamp to [zero, six] of the input scale (as TFLM), float32."""

from __future__ import annotations

import numpy as np

from tests.ops.elementwise_cases import (
    compare_compiled_with_tflm,
    float_model,
    int8_variants,
)
from tests.ops.kernel_harness import compare_with_tflm


def test_int8_matches_tflm_exhaustively(tf, tflm, tmp_path):
    models = int8_variants(tf.nn.relu6, [[2, 131]], n=16, seed=91, randomize="tied",
                           log10_scale=(-3.0, 0.0))
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(0), n_samples=2).models == 16


def test_float_matches_tflm(tf, tflm, tmp_path):
    model = float_model(tf.nn.relu6, [[1, 3, 3, 1]])
    assert compare_with_tflm([model], tmp_path, np.random.default_rng(2), n_samples=6).models == 1


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(tf.nn.relu6, [[2, 131]], n=3, seed=95, randomize="tied",
                           log10_scale=(-3.0, 0.0)) + [
        float_model(tf.nn.relu6, [[3, 67]])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0


def test_int16_every_value_matches_tflm(tflm, tmp_path):
    """int16 RELU6 (TFLM clamps the raw values to [zero point, six], six clamped to int16):
    every int16 value, scales where six is inside and outside int16, non-zero zero points."""
    from tests.ops.int16_unary_cases import check_every_value, unary_int16_model

    for k, (scale, zero_point) in enumerate([(1e-4, 0), (3e-3, 0), (1e-5, 0), (2e-4, -700),
                                             (5e-4, 1200)]):
        q = (scale, zero_point)
        check_every_value(unary_int16_model("RELU6", q, q), tmp_path / str(k))


def test_int16_from_the_16x8_converter_matches_tflm(tf, tflm, tmp_path):
    from tests.ops.layout_harness import check_both_layers
    from tests.ops.tflite_build import build_tflite
    from tests.ops.tflm_compare import op_types

    model = build_tflite(tf.nn.relu6, [[3, 97]], "16x8", seed=2, input_range=(-8.0, 8.0))
    assert op_types(model) == ["RELU6"]
    check_both_layers(model, tmp_path)
