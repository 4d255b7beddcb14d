"""LOGICAL_OR vs TFLM on bool tensors, same shape and broadcast, harness and compiled."""

from __future__ import annotations

from tests.ops.comparison_cases import raw_comparison, raw_samples
from tests.ops.layout_harness import check_samples


def test_matches_tflm(tflm, tmp_path):
    for k, shapes in enumerate([((2, 1, 5), (3, 1)), ((4, 6), (4, 6)), ((1,), (2, 3))]):
        check_samples(raw_comparison("LOGICAL_OR", "bool", shapes), tmp_path / str(k),
                      raw_samples("bool", k, shapes))
