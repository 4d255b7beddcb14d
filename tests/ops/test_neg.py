"""NEG float32 against TFLM (rtol 1e-5; NaN/inf where TFLM gives them). TFLM has no integer
NEG; the end-to-end check of the unary math ops is in test_math_unary_common.py."""

from __future__ import annotations

import numpy as np

from tests.ops.math_unary_cases import check_float_op


def test_float_matches_tflm(tf, tflm, tmp_path):
    assert check_float_op(tf.math.negative, "NEG", tmp_path, np.random.default_rng(30162)) > 0
