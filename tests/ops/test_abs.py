"""ABS: int8 table equals TFLM for every input value (with and without rescale); float32 is
in test_math_unary_common.py."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import compare_compiled_with_tflm, int8_variants
from tests.ops.kernel_harness import compare_with_tflm

SHAPE = [2, 131]  # the first sample covers all 256 inputs


def test_int8_matches_tflm_exhaustively(tf, tflm, tmp_path):
    models = int8_variants(tf.math.abs, [SHAPE], n=16, seed=51, log10_scale=(-3.0, 0.5))
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(0), n_samples=2).models == 16


def test_int8_same_scale_needs_no_rescale(tf, tflm, tmp_path):
    models = int8_variants(tf.math.abs, [SHAPE], n=8, seed=52, randomize="tied")
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(1), n_samples=2).models == 8


@pytest.mark.slow
def test_int8_sweep(tf, tflm, tmp_path):
    models = int8_variants(tf.math.abs, [SHAPE], n=150, seed=53, log10_scale=(-4.0, 1.0))
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(3), n_samples=1)
    assert result.models + result.skipped == 150 and result.models > 0


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(tf.math.abs, [SHAPE], n=3, seed=54)
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0


def test_float_matches_tflm(tf, tflm, tmp_path):
    from tests.ops.math_unary_cases import check_float_op

    assert check_float_op(tf.math.abs, "ABS", tmp_path, np.random.default_rng(4)) > 0


def test_int16_every_value_matches_tflm(tflm, tmp_path):
    """int16 ABS, TFLM's quantized path (zero points 0; same scale: clamp only, |-32768| ->
    32767; other scales: rescaled) and its unquantized path (std::abs, -32768 stays), every
    int16 value, both layers bit-exact."""
    from tests.ops.int16_unary_cases import check_every_value, random_scales, unary_int16_model

    pairs = [(3e-4, 3e-4), *random_scales(np.random.default_rng(54), 5, -5.0, -2.0)]
    for k, (s_in, s_out) in enumerate(pairs):
        check_every_value(unary_int16_model("ABS", (s_in, 0), (s_out, 0)), tmp_path / str(k))
    check_every_value(unary_int16_model("ABS", None, None), tmp_path / "raw")


def test_int16_from_the_16x8_converter_matches_tflm(tf, tflm, tmp_path):
    from tests.ops.layout_harness import check_both_layers
    from tests.ops.tflite_build import build_tflite
    from tests.ops.tflm_compare import op_types

    model = build_tflite(tf.math.abs, [[3, 97]], "16x8", seed=3)
    assert op_types(model) == ["ABS"]
    check_both_layers(model, tmp_path)
