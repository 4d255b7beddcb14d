"""GREATER vs TFLM: int8 (rescaled as TFLM, random input quantization), float32, int32, int64, with
broadcasting; a bool output."""

from __future__ import annotations

from tests.ops.comparison_cases import check_comparison


def test_every_dtype_matches_tflm(tf, tflm, tmp_path):
    assert check_comparison("GREATER", lambda tf, a, b: tf.math.greater(a, b), tf, tmp_path,
                            seed=43, raw_dtypes=("int32", "int64")) == 7
