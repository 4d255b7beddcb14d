"""ROUND float32 against TFLM (rtol 1e-5; NaN/inf where TFLM gives them). TFLM has no integer
ROUND; the end-to-end check of the unary math ops is in test_math_unary_common.py."""

from __future__ import annotations

import numpy as np

from tests.ops.math_unary_cases import check_float_op


def test_float_matches_tflm(tf, tflm, tmp_path):
    assert check_float_op(tf.math.round, "ROUND", tmp_path, np.random.default_rng(11406)) > 0


def test_halves_round_to_even_as_tflm(tf, tflm, tmp_path):
    from microforge.ir.tflite_reader import read_tflite
    from microforge.runners.tflm import run_tflm
    from tests.ops.elementwise_cases import float_model
    from tests.ops.kernel_harness import build_op_library

    model = float_model(tf.math.round, [[1, 12]])
    graph = read_tflite(model)
    x = np.array([[-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 1e9 + 0.5, -0.0, 0.49999997,
                   8388607.5, np.nan]], dtype=np.float32)
    got = build_op_library([(graph, graph.operators[0])], tmp_path).run(0, [x])[0]
    expected = run_tflm(model, [x])[0]
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(got[0, :7], [-2, -2, -0, 0, 2, 2, 4])
