"""The float32 unary math ops end to end: a chain of them through microforge.compile against
TFLM (rtol 1e-5). Each op's own check is in tests/ops/test_<op>.py."""

from __future__ import annotations

import numpy as np

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model

SHAPE = [3, 67]


def test_compiled_chain_matches_tflm(tf, tflm, tmp_path):
    def chain(x):
        y = tf.math.cos(tf.math.sqrt(tf.math.square(tf.math.negative(x)) + 1.0))
        return tf.math.round(tf.math.exp(y) * 3.0) + tf.math.floor(tf.math.sin(x)) + tf.math.ceil(
            tf.math.log(tf.math.abs(x) + 1.0)) + tf.math.rsqrt(tf.math.abs(x) + 1.0) + tf.nn.elu(x)

    model = float_model(chain, [SHAPE])
    assert compare_compiled_with_tflm([model], tmp_path, np.random.default_rng(6)) > 0
