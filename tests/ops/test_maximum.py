"""MAXIMUM: raw int8 / float32 comparison with broadcasting, identical to TFLM."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.comparison_cases import raw_samples
from tests.ops.elementwise_cases import (
    compare_compiled_with_tflm,
    float_model,
    int8_variants,
)
from tests.ops.kernel_harness import compare_with_tflm
from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite


def test_int8_matches_tflm(tf, tflm, tmp_path):
    models = int8_variants(lambda a, b: tf.maximum(a, b), [[2, 1, 7], [3, 1]], n=4, seed=31)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(0)).models == 4


def test_int8_same_shape(tf, tflm, tmp_path):
    models = int8_variants(lambda a, b: tf.maximum(a, b), [[1, 1], [1, 1]], n=2, seed=32)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(1)).models == 2


def test_float_matches_tflm(tf, tflm, tmp_path):
    model = float_model(lambda a, b: tf.maximum(a, b), [[2, 1, 7], [3, 1]])
    assert compare_with_tflm([model], tmp_path, np.random.default_rng(2)).invocations == 4


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(lambda a, b: tf.maximum(a, b), [[2, 1, 7], [3, 1]], n=2, seed=35) + [
        float_model(lambda a, b: tf.maximum(a, b), [[4], [4]])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0


@pytest.mark.parametrize("dtype", ["int16", "int64"])
@pytest.mark.parametrize("shapes", [((2, 1, 5), (3, 1)), ((4, 3), (4, 3)), ((1,), (2, 3))])
def test_int16_int64_compare_raw_values_like_tflm(tflm, tmp_path, dtype, shapes):
    """Hand-built int16 (differently quantized inputs: TFLM still compares raw values) and
    int64 models, values from each type's extremes, both layers against TFLM."""
    quant = ((0.01, 3), (0.5, -7), (0.02, 0)) if dtype == "int16" else (None, None, None)
    out = tuple(np.broadcast_shapes(*shapes))
    tensors = [RawTensor(shapes[0], dtype, quant[0]), RawTensor(shapes[1], dtype, quant[1]),
               RawTensor(out, dtype, quant[2])]
    model = raw_tflite(tensors, [RawOp("MAXIMUM", (0, 1), (2,))], [0, 1], [2])
    check_samples(model, tmp_path, raw_samples(dtype, seed=len(out), shapes=shapes))
