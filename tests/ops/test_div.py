"""DIV float32 against TFLM (rtol 1e-5): same shapes, broadcast, fused RELU and RELU6."""

from __future__ import annotations

import numpy as np

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model
from tests.ops.kernel_harness import compare_with_tflm, set_fused_activation

SAME = [[2, 131], [2, 131]]
BROADCAST = [[2, 3, 44], [1, 44]]
RELU6 = 3  # tflite.ActivationFunctionType.RELU6


def test_float_matches_tflm(tf, tflm, tmp_path):
    relu = float_model(lambda a, b: tf.nn.relu(tf.math.divide(a, b)), SAME)
    relu6 = bytearray(relu)
    set_fused_activation(relu6, 0, RELU6)
    models = [float_model(tf.math.divide, SAME), float_model(tf.math.divide, BROADCAST), relu,
              bytes(relu6)]
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(2), n_samples=4).models == 4


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    model = float_model(lambda a, b: tf.math.divide(a, b) + a, BROADCAST)
    assert compare_compiled_with_tflm([model], tmp_path, np.random.default_rng(9)) > 0
