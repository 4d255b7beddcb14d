"""DYNAMIC_UPDATE_SLICE vs TFLM: computed start indices inside and outside the range (clamped),
int32 and int64 indices, several dtypes and ranks."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

CASES = [("float32", (4, 5), (2, 3), "int32"), ("int8", (3, 4, 5), (1, 2, 5), "int64"),
         ("int16", (6,), (2,), "int32"), ("int32", (2, 3, 4, 2), (1, 3, 2, 1), "int32"),
         ("float32", (3, 3), (3, 3), "int32")]


@pytest.mark.parametrize(("dtype", "operand", "update", "index_dtype"), CASES)
def test_matches_tflm(tflm, tmp_path, dtype, operand, update, index_dtype) -> None:
    quant = {"int8": (0.1, 3), "int16": (0.01, 0)}.get(dtype)
    tensors = [RawTensor(operand, dtype, quant), RawTensor(update, dtype, quant),
               RawTensor((len(operand),), index_dtype), RawTensor(operand, dtype, quant)]
    model = raw_tflite(tensors, [RawOp("DYNAMIC_UPDATE_SLICE", (0, 1, 2), (3,))], [0, 1, 2],
                       [3])
    rng = np.random.default_rng(len(operand))

    def values(shape):
        if dtype == "float32":
            return rng.standard_normal(shape).astype(np.float32)
        return rng.integers(-100, 100, size=shape).astype(dtype)

    samples = []
    for starts in ([0] * len(operand), [1] * len(operand), [-3] * len(operand),
                   [9] * len(operand)):
        samples.append([values(operand), values(update), np.asarray(starts, index_dtype)])
    check_samples(model, tmp_path, samples)
