"""BATCH_MATMUL vs TFLM: two activations multiplied (tf.linalg.matmul), ranks 2 to 4 with batch
broadcasting, adj_x / adj_y, float32 (identical) and int8 (bit-exact, random quantization)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model, int8_variants

CASES = [  # lhs shape, rhs shape, adj_x, adj_y
    ([3, 4], [4, 5], False, False),
    ([2, 3, 4], [2, 4, 5], False, False),
    ([2, 1, 3, 4], [1, 3, 5, 4], False, True),
    ([2, 4, 3], [4, 6], True, False),
    ([3, 2, 4, 3], [3, 2, 5, 4], True, True),
]


def _matmul(adj_x: bool, adj_y: bool):
    import tensorflow as tf

    return lambda a, b: tf.linalg.matmul(a, b, adjoint_a=adj_x, adjoint_b=adj_y)


def _ops(model: bytes) -> set[str]:
    from microforge.ir.tflite_reader import read_tflite

    return {op.op_type for op in read_tflite(model).operators}


@pytest.mark.parametrize(("lhs", "rhs", "adj_x", "adj_y"), CASES)
def test_float32_matches_tflm(tf, tflm, tmp_path, lhs, rhs, adj_x, adj_y) -> None:
    model = float_model(_matmul(adj_x, adj_y), [lhs, rhs])
    assert "BATCH_MATMUL" in _ops(model)
    assert compare_compiled_with_tflm([model], tmp_path, np.random.default_rng(0), rtol=0) > 0


@pytest.mark.parametrize(("lhs", "rhs", "adj_x", "adj_y"), CASES)
def test_int8_matches_tflm(tf, tflm, tmp_path, lhs, rhs, adj_x, adj_y) -> None:
    models = int8_variants(_matmul(adj_x, adj_y), [lhs, rhs], n=3, seed=len(lhs) + adj_x)
    assert all("BATCH_MATMUL" in _ops(m) for m in models)
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(1)) > 0


@pytest.mark.parametrize(("lhs", "rhs", "adj_x", "adj_y"), CASES)
def test_int16_matches_tflm(tf, tflm, tmp_path, lhs, rhs, adj_x, adj_y) -> None:
    """16x8 models (TFLM's BatchMatMul<int16_t, int64_t>): the converted one and random int16
    scales on inputs and output, compiled model bit-exact with TFLM."""
    from tests.ops.elementwise_cases import int16_variants

    models = int16_variants(_matmul(adj_x, adj_y), [lhs, rhs], n=3, seed=len(lhs) + adj_y,
                            log10_scale=(-4.0, -2.0))
    assert all("BATCH_MATMUL" in _ops(m) for m in models)
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(2)) > 0
