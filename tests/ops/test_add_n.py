"""ADD_N vs TFLM: two to five inputs, float32 and int8 (zero points and scales that make
TFLite's start-from-the-offset quirk visible), hand-built models."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite


def add_n_model(dtype: str, count: int, shape: tuple[int, ...], in_q=(0.05, 9),
                out_q=(0.11, -5), in_quants=None) -> bytes:
    quants = in_quants or [in_q] * count
    tensors = [RawTensor(shape, dtype, q if dtype == "int8" else None) for q in quants]
    tensors.append(RawTensor(shape, dtype, out_q if dtype == "int8" else None))
    return raw_tflite(tensors, [RawOp("ADD_N", tuple(range(count)), (count,))],
                      list(range(count)), [count])


@pytest.mark.parametrize(("dtype", "count", "shape"), [
    ("float32", 2, (3, 4)), ("float32", 5, (7,)), ("int8", 2, (2, 3, 5)), ("int8", 4, (64,)),
])
def test_matches_tflm(tflm, tmp_path, dtype: str, count: int, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(count)

    def one() -> np.ndarray:
        if dtype == "float32":
            return rng.standard_normal(shape).astype(np.float32)
        return rng.integers(-128, 128, size=shape).astype(np.int8)

    samples = [[one() for _ in range(count)] for _ in range(3)]
    check_samples(add_n_model(dtype, count, shape), tmp_path, samples)


def test_int8_inputs_must_share_their_quantization() -> None:
    from microforge.codegen.compiler import unsupported_ops
    from microforge.ir.tflite_reader import read_tflite

    graph = read_tflite(add_n_model("int8", 2, (4,), in_quants=[(0.05, 9), (0.06, 9)]))
    assert unsupported_ops(graph) == ["ADD_N (operator 0, int8): int8 inputs with different "
                                      "scales or zero points (TFLM refuses them)"]
