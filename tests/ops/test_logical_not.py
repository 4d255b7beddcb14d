"""LOGICAL_NOT vs TFLM on bool tensors, harness and compiled."""

from __future__ import annotations

import numpy as np

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite


def test_matches_tflm(tflm, tmp_path):
    model = raw_tflite([RawTensor((3, 7), "bool"), RawTensor((3, 7), "bool")],
                       [RawOp("LOGICAL_NOT", (0,), (1,))], [0], [1])
    rng = np.random.default_rng(0)
    check_samples(model, tmp_path, [[rng.random((3, 7)) < 0.5] for _ in range(4)])
