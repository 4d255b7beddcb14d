"""FLOOR_MOD: float32 remainder with the divisor's sign, broadcasting, bit-exact with TFLM."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model
from tests.ops.kernel_harness import compare_with_tflm

SHAPES = [[[2, 1, 7], [3, 1]], [[5], [5]], [[1, 3, 4, 2], [2]], [[4, 1], [1, 1]]]


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_float_matches_tflm_exactly(shapes, tf, tflm, tmp_path):
    model = float_model(lambda a, b: tf.math.floormod(a, b), shapes)
    result = compare_with_tflm([model], tmp_path, np.random.default_rng(6), rtol=0.0)
    assert result.invocations > 0


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile, with a constant divisor of both signs."""
    divisor = np.array([0.75, -2.5, 3.0], np.float32)
    models = [float_model(lambda a, b: tf.math.floormod(a, b), [[2, 1, 3], [4, 1]]),
              float_model(lambda a: tf.math.floormod(a, tf.constant(divisor)), [[4, 3]])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(7),
                                      rtol=0.0) == 3 * (24 + 12)
