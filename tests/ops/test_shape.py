"""SHAPE vs TFLM: the int32 shape of inputs of several dtypes and ranks."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite


@pytest.mark.parametrize(("dtype", "shape"), [("float32", (2, 3, 5)), ("int8", (7,)),
                                              ("bool", (1, 2, 1, 4))])
def test_matches_tflm(tflm, tmp_path, dtype: str, shape: tuple[int, ...]) -> None:
    quant = (0.1, 0) if dtype == "int8" else None
    model = raw_tflite([RawTensor(shape, dtype, quant), RawTensor((len(shape),), "int32")],
                       [RawOp("SHAPE", (0,), (1,))], [0], [1])
    check_samples(model, tmp_path, [[np.zeros(shape, dtype)]])
