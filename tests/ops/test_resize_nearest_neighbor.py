"""RESIZE_NEAREST_NEIGHBOR against TFLM: float32, int8 and int16 (16x8) identical (a copy), up- and
down-sampling, align_corners and half_pixel_centers."""

from __future__ import annotations

import numpy as np

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model, int8_variants
from tests.ops.kernel_harness import compare_with_tflm
from tests.ops.layout_harness import check_both_layers
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import op_types

SHAPE = [1, 5, 7, 3]
CASES = [((9, 13), False, False), ((3, 4), False, False), ((9, 13), True, False),
         ((9, 13), False, True), ((2, 3), True, False), ((1, 1), False, True)]


def resize(tf, size, align_corners, half_pixel_centers):
    return lambda x: tf.compat.v1.image.resize_nearest_neighbor(
        x, size, align_corners=align_corners, half_pixel_centers=half_pixel_centers)


def test_float_matches_tflm(tf, tflm, tmp_path):
    models = [float_model(resize(tf, *case), [SHAPE]) for case in CASES]
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(2), n_samples=2, rtol=0)
    assert result.models == len(CASES)


def test_int8_matches_tflm(tf, tflm, tmp_path):
    models = [int8_variants(resize(tf, *case), [SHAPE], n=1, seed=k)[0]
              for k, case in enumerate(CASES)]
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(3), n_samples=2)
    assert result.models == len(CASES)


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = [int8_variants(resize(tf, (10, 14), False, True), [SHAPE], n=1, seed=7)[0],
              float_model(resize(tf, (10, 3), True, False), [SHAPE])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0


def test_int16_matches_tflm(tf, tflm, tmp_path):
    """16x8 models (int16 activations): both layers identical to TFLM on every flag case."""
    for k, case in enumerate(CASES):
        model = build_tflite(resize(tf, *case), [SHAPE], "16x8", seed=k)
        assert "RESIZE_NEAREST_NEIGHBOR" in op_types(model)
        check_both_layers(model, tmp_path / str(k), n_inputs=2, seed=k)
