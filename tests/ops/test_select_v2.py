"""SELECT_V2 vs TFLM: same shapes, broadcast condition / x / y up to rank 5, each dtype."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

CASES = [
    ("float32", (2, 3), (2, 3), (2, 3), (2, 3)),
    ("int8", (3, 1), (1, 4), (3, 4), (3, 4)),
    ("int16", (4,), (2, 3, 4), (1,), (2, 3, 4)),
    ("float32", (), (2, 2), (2, 1), (2, 2)),
    ("int8", (2, 1, 2, 1, 3), (1, 3, 1, 2, 1), (2, 3, 2, 2, 3), (2, 3, 2, 2, 3)),
]


def select_model(dtype: str, c: tuple, x: tuple, y: tuple, out: tuple) -> bytes:
    quant = {"int8": (0.1, 2), "int16": (0.01, 0)}.get(dtype)
    tensors = [RawTensor(c, "bool"), RawTensor(x, dtype, quant), RawTensor(y, dtype, quant),
               RawTensor(out, dtype, quant)]
    return raw_tflite(tensors, [RawOp("SELECT_V2", (0, 1, 2), (3,))], [0, 1, 2], [3])


@pytest.mark.parametrize(("dtype", "c", "x", "y", "out"), CASES)
def test_matches_tflm(tflm, tmp_path, dtype: str, c: tuple, x: tuple, y: tuple, out: tuple):
    rng = np.random.default_rng(len(out))

    def values(shape: tuple) -> np.ndarray:
        if dtype == "float32":
            return rng.standard_normal(shape).astype(np.float32)
        return rng.integers(-100, 100, size=shape).astype(dtype)

    samples = [[np.asarray(rng.random(c) < 0.5), values(x), values(y)] for _ in range(3)]
    check_samples(select_model(dtype, c, x, y, out), tmp_path, samples)


def test_a_non_bool_condition_is_refused() -> None:
    from microforge.codegen.compiler import unsupported_ops
    from microforge.ir.tflite_reader import read_tflite

    tensors = [RawTensor((2,), "int8", (0.1, 0)), RawTensor((2,), "float32"),
               RawTensor((2,), "float32"), RawTensor((2,), "float32")]
    graph = read_tflite(raw_tflite(tensors, [RawOp("SELECT_V2", (0, 1, 2), (3,))], [0, 1, 2],
                                   [3]))
    assert unsupported_ops(graph) == [
        "SELECT_V2 (operator 0, float32): int8 condition (TFLM needs bool)"]
