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
