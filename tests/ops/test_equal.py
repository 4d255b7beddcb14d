"""EQUAL vs TFLM: int8 (rescaled as TFLM, random input quantization), float32, bool, int32, int64, with
broadcasting; a bool output."""

from __future__ import annotations

from tests.ops.comparison_cases import check_comparison


def test_every_dtype_matches_tflm(tf, tflm, tmp_path):
    assert check_comparison("EQUAL", lambda tf, a, b: tf.math.equal(a, b), tf, tmp_path,
                            seed=41, raw_dtypes=("bool", "int32", "int64")) == 7
