"""LOG_SOFTMAX float32 against TFLM (rtol 1e-5)."""

from __future__ import annotations

import numpy as np

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model
from tests.ops.kernel_harness import compare_with_tflm


def test_float_matches_tflm(tf, tflm, tmp_path):
    models = [float_model(tf.nn.log_softmax, [shape]) for shape in ([3, 67], [2, 3, 5], [1, 1])]
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(2), n_samples=4)
    assert result.models == 3


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    model = float_model(lambda x: tf.nn.log_softmax(x * 2.0), [[4, 10]])
    assert compare_compiled_with_tflm([model], tmp_path, np.random.default_rng(9)) > 0


def test_int8_converter_models_match_tflm(tf, tflm, tmp_path):
    """int8 (TFLM's LogSoftmaxQuantized) on converter models with random input quantization,
    rows of 1 to 67 values, bit-exact."""
    from tests.ops.elementwise_cases import int8_variants

    models = []
    for k, shape in enumerate(([3, 67], [2, 3, 5], [4, 1], [1, 256])):
        models += int8_variants(tf.nn.log_softmax, [shape], n=3, seed=40 + k, randomize="inputs")
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(3), n_samples=4)
    assert result.models == len(models)


def test_int8_hand_built_every_scale_regime_matches_tflm(tflm, tmp_path):
    """Hand-built int8 models, input scales from 2^-20 to 4 (diff_min cutting the row or not),
    full-range inputs, rows with a single peak and flat rows; both layers bit-exact."""
    from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

    rng = np.random.default_rng(41)
    for k, scale in enumerate([2.0 ** -20, 1e-3, 0.02, 0.1, 0.5, 4.0]):
        zp = int(rng.integers(-128, 128))
        tensors = [RawTensor((6, 40), "int8", (scale, zp)),
                   RawTensor((6, 40), "int8", (16.0 / 256, 127))]
        model = raw_tflite(tensors, [RawOp("LOG_SOFTMAX", (0,), (1,))], [0], [1])
        samples = [[rng.integers(-128, 128, (6, 40)).astype(np.int8)] for _ in range(3)]
        peak = np.full((6, 40), -128, np.int8)
        peak[:, 7] = 127
        samples += [[peak], [np.full((6, 40), 5, np.int8)]]
        check_samples(model, tmp_path / str(k), samples)


def test_compiled_int8_model_matches_tflm(tf, tflm, tmp_path):
    from tests.ops.elementwise_cases import int8_variants

    models = int8_variants(tf.nn.log_softmax, [[5, 33]], n=2, seed=47, randomize="inputs")
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(8)) > 0
