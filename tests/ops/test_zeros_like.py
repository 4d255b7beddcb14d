"""ZEROS_LIKE vs TFLM on hand-built models of every dtype it takes (the converter folds it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ops.layout_harness import RawOp, RawTensor, check_both_layers, raw_tflite


@pytest.mark.parametrize("dtype", ["float32", "int8", "int32", "int64"])
def test_zeros_like_matches_tflm(tflm, tmp_path: Path, dtype: str) -> None:
    quant = (0.1, 5) if dtype == "int8" else None  # TFLM writes raw 0, not the zero point
    tensors = [RawTensor((2, 3, 5), dtype, quant), RawTensor((2, 3, 5), dtype, quant)]
    model = raw_tflite(tensors, [RawOp("ZEROS_LIKE", (0,), (1,))], [0], [1])
    check_both_layers(model, tmp_path, n_inputs=2)
