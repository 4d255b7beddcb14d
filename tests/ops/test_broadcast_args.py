"""BROADCAST_ARGS vs TFLM: int32 and int64 shape vectors of equal and different lengths."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite


@pytest.mark.parametrize(("dtype", "s1", "s2"), [
    ("int32", [2, 1, 3], [4, 3]), ("int64", [5], [2, 1, 5]), ("int32", [1, 7], [6, 1]),
    ("int64", [3, 1, 1, 2], [3, 4, 1, 2]),
])
def test_matches_tflm(tflm, tmp_path, dtype: str, s1: list[int], s2: list[int]) -> None:
    n = max(len(s1), len(s2))
    tensors = [RawTensor((len(s1),), dtype), RawTensor((len(s2),), dtype), RawTensor((n,), dtype)]
    model = raw_tflite(tensors, [RawOp("BROADCAST_ARGS", (0, 1), (2,))], [0, 1], [2])
    check_samples(model, tmp_path, [[np.asarray(s1, dtype), np.asarray(s2, dtype)]])
