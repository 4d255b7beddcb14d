"""RESIZE_BILINEAR against TFLM: float32 (tolerance) and int8 (identical, TFLite's 10-bit
integer path), up- and down-sampling, align_corners and half_pixel_centers."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model, int8_variants
from tests.ops.kernel_harness import compare_with_tflm

SHAPE = [1, 5, 7, 3]
CASES = [((9, 13), False, False), ((3, 4), False, False), ((9, 13), True, False),
         ((9, 13), False, True), ((2, 3), True, False), ((1, 1), False, True),
         ((11, 2), False, True), ((4, 20), True, False)]


def resize(tf, size, align_corners, half_pixel_centers):
    return lambda x: tf.compat.v1.image.resize_bilinear(
        x, size, align_corners=align_corners, half_pixel_centers=half_pixel_centers)


def test_float_matches_tflm(tf, tflm, tmp_path):
    models = [float_model(resize(tf, *case), [SHAPE]) for case in CASES]
    # TFLite's float order of operations kept: identical, not only within a tolerance
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(2), n_samples=2, rtol=0)
    assert result.models == len(CASES)


@pytest.mark.parametrize("seed", [0, 1])
def test_int8_matches_tflm(tf, tflm, tmp_path, seed: int):
    models = [int8_variants(resize(tf, *case), [SHAPE], n=1, seed=k + 10 * seed)[0]
              for k, case in enumerate(CASES)]
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(3 + seed), n_samples=3)
    assert result.models == len(CASES)


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = [int8_variants(resize(tf, (10, 14), False, True), [SHAPE], n=1, seed=7)[0],
              float_model(resize(tf, (10, 3), True, False), [SHAPE])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0
