"""FLOOR_DIV: float32 floor(a / b) with broadcasting, bit-exact with TFLM."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model
from tests.ops.kernel_harness import compare_with_tflm

SHAPES = [[[2, 1, 7], [3, 1]], [[5], [5]], [[1, 3, 4, 2], [2]], [[4, 1], [1, 1]]]


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_float_matches_tflm_exactly(shapes, tf, tflm, tmp_path):
    model = float_model(lambda a, b: tf.math.floordiv(a, b), shapes)
    result = compare_with_tflm([model], tmp_path, np.random.default_rng(3), rtol=0.0)
    assert result.invocations > 0


def test_constant_divisor_matches_tflm(tf, tflm, tmp_path):
    divisor = np.array([0.5, -3.0, 7.25], np.float32)
    model = float_model(lambda a: tf.math.floordiv(a, tf.constant(divisor)), [[4, 3]])
    assert compare_compiled_with_tflm([model], tmp_path, np.random.default_rng(4),
                                      rtol=0.0) == 3 * 12


def test_constant_zero_divisor_is_refused(tf, tmp_path):
    import microforge
    from microforge.errors import MicroforgeError

    divisor = np.array([1.0, 0.0], np.float32)
    model = float_model(lambda a: tf.math.floordiv(a, tf.constant(divisor)), [[3, 2]])
    with pytest.raises(MicroforgeError, match="FLOOR_DIV.*holds a zero"):
        microforge.compile(model, tmp_path / "model")
    assert not (tmp_path / "model").exists()


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    model = float_model(lambda a, b: tf.math.floordiv(a, b), [[2, 1, 7], [3, 1]])
    assert compare_compiled_with_tflm([model], tmp_path, np.random.default_rng(5),
                                      rtol=0.0) == 3 * 42
