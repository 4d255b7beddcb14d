"""BROADCAST_TO vs TFLM: leading and inner broadcast dimensions, several dtypes, up to rank 5."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

CASES = [("float32", (3, 1), (2, 3, 4)), ("int8", (1, 5), (4, 5)), ("int32", (2, 1, 3), (2, 4, 3)),
         ("bool", (1,), (3, 2)), ("int16", (1, 2, 1, 1, 3), (2, 2, 2, 2, 3)),
         ("float32", (4,), (4,))]


@pytest.mark.parametrize(("dtype", "src", "dst"), CASES)
def test_matches_tflm(tflm, tmp_path, dtype: str, src: tuple[int, ...],
                      dst: tuple[int, ...]) -> None:
    quant = {"int8": (0.1, 2), "int16": (0.01, 0)}.get(dtype)
    tensors = [RawTensor(src, dtype, quant),
               RawTensor((len(dst),), "int32", data=np.asarray(dst, np.int32)),
               RawTensor(dst, dtype, quant)]
    model = raw_tflite(tensors, [RawOp("BROADCAST_TO", (0, 1), (2,))], [0], [2])
    rng = np.random.default_rng(len(src))
    if dtype == "bool":
        samples = [[rng.random(src) < 0.5]]
    elif dtype == "float32":
        samples = [[rng.standard_normal(src).astype(np.float32)]]
    else:
        samples = [[rng.integers(-100, 100, size=src).astype(dtype)]]
    check_samples(model, tmp_path, samples)
