"""REVERSE_V2 vs TFLM: one and several contiguous axes, negative axes, every dtype it has."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

CASES = [("float32", (2, 3, 4), [1]), ("int8", (5,), [0]), ("int16", (2, 3, 4), [-1]),
         ("int32", (2, 3, 4, 2), [1, 2]), ("bool", (3, 2), [0, 1]), ("int64", (4, 3), [0]),
         ("uint8", (2, 2, 2, 2, 2, 3), [3, 4, 5]), ("float32", (2, 1, 3), [1, 2])]


def reverse_model(dtype: str, shape: tuple[int, ...], axes: list[int]) -> bytes:
    quant = {"int8": (0.1, 2), "int16": (0.01, 0), "uint8": (0.5, 128)}.get(dtype)
    tensors = [RawTensor(shape, dtype, quant),
               RawTensor((len(axes),), "int32", data=np.asarray(axes, np.int32)),
               RawTensor(shape, dtype, quant)]
    return raw_tflite(tensors, [RawOp("REVERSE_V2", (0, 1), (2,))], [0], [2])


@pytest.mark.parametrize(("dtype", "shape", "axes"), CASES)
def test_matches_tflm(tflm, tmp_path, dtype: str, shape: tuple[int, ...], axes: list[int]):
    rng = np.random.default_rng(len(shape))
    if dtype == "bool":
        x = rng.random(shape) < 0.5
    elif dtype == "float32":
        x = rng.standard_normal(shape).astype(np.float32)
    else:
        x = rng.integers(0 if dtype == "uint8" else -100, 100, size=shape).astype(dtype)
    check_samples(reverse_model(dtype, shape, axes), tmp_path, [[x]])


def test_non_contiguous_axes_are_refused_as_tflm_does() -> None:
    from microforge.codegen.compiler import unsupported_ops
    from microforge.ir.tflite_reader import read_tflite

    graph = read_tflite(reverse_model("float32", (2, 3, 4), [2, 0]))
    assert unsupported_ops(graph) == [
        "REVERSE_V2 (operator 0, float32): non-contiguous axes [0, 2] (TFLM refuses them)"]
