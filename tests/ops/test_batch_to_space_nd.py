"""BATCH_TO_SPACE_ND vs TFLM: 4-D and 3-D, crops on every side, float32 and int8."""

from __future__ import annotations

import pytest

from tests.ops.layout_harness import check_samples
from tests.ops.space_batch_cases import samples, space_batch_model

CASES = [
    ("float32", (4, 2, 2, 3), (1, 4, 4, 3), [2, 2], [0, 0, 0, 0]),
    ("int8", (8, 3, 2, 2), (2, 5, 3, 2), [2, 2], [1, 0, 0, 1]),
    ("int8", (3, 3, 4), (1, 5, 4), [3], [2, 2]),
    ("float32", (6, 2, 3, 1), (1, 3, 5, 1), [2, 3], [1, 0, 2, 2]),
]


@pytest.mark.parametrize(("dtype", "src", "dst", "block", "crops"), CASES)
def test_matches_tflm(tflm, tmp_path, dtype, src, dst, block, crops) -> None:
    model = space_batch_model("BATCH_TO_SPACE_ND", dtype, src, dst, block, crops)
    check_samples(model, tmp_path, samples(dtype, src))
