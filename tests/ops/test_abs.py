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
