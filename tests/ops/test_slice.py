"""SLICE vs TFLM: converter-built float32/int8 models and hand-built int16/int32/bool ones
(data movement: bit-exact for every dtype)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.errors import ModelError
from microforge.ir.tflite_reader import read_tflite
from microforge.ops.base import get_op
from tests.ops.layout_harness import RawOp, RawTensor, check_both_layers, raw_tflite
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import op_types


def _draw(seed: int) -> tuple[list[int], list[int], list[int]]:
    rng = np.random.default_rng(8000 + seed)
    rank = int(rng.integers(1, 6))
    shape = [int(rng.integers(1, 7)) for _ in range(rank)]
    begin = [int(rng.integers(0, n)) for n in shape]
    size = [-1 if rng.random() < 0.25 else int(rng.integers(1, n - b + 1))
            for n, b in zip(shape, begin, strict=True)]
    return shape, begin, size


def converted_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    draw = seed
    shape, begin, size = _draw(draw)
    while all(b == 0 and s in (-1, n) for n, b, s in zip(shape, begin, size, strict=True)):
        draw += 1000  # the converter drops a slice of everything: draw a real one
        shape, begin, size = _draw(draw)

    def fn(x):
        return tf.slice(x, begin, size)

    return build_tflite(fn, [shape], mode, seed=seed)


def raw_model(seed: int, dtype: str) -> bytes:
    shape, begin, size = _draw(seed)
    out_shape = tuple(n - b if s == -1 else s for n, b, s in zip(shape, begin, size, strict=True))
    quant = (0.01, 0) if dtype in ("int8", "int16") else None
    tensors = [RawTensor(tuple(shape), dtype, quant),
               RawTensor((len(shape),), "int32", data=np.array(begin, np.int32)),
               RawTensor((len(shape),), "int32", data=np.array(size, np.int32)),
               RawTensor(out_shape, dtype, quant)]
    return raw_tflite(tensors, [RawOp("SLICE", (0, 1, 2), (3,))], [0], [3])


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3))
def test_slice_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = converted_model(seed, mode)
    assert op_types(model) == ["SLICE"]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.parametrize("dtype", ["int16", "int32", "bool", "int8", "float32"])
@pytest.mark.parametrize("seed", range(3))
def test_slice_every_dtype_matches_tflm(tflm, tmp_path: Path, seed: int, dtype: str) -> None:
    check_both_layers(raw_model(seed, dtype), tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["int16", "int32", "bool", "int8", "float32"])
@pytest.mark.parametrize("seed", range(3, 25))
def test_slice_every_dtype_matches_tflm_many(tflm, tmp_path: Path, seed: int,
                                             dtype: str) -> None:
    check_both_layers(raw_model(seed, dtype), tmp_path, seed=seed)


def test_slice_outside_the_input_is_an_error() -> None:
    tensors = [RawTensor((4, 3), "float32"),
               RawTensor((2,), "int32", data=np.array([3, 0], np.int32)),
               RawTensor((2,), "int32", data=np.array([2, -1], np.int32)),
               RawTensor((2, 3), "float32")]
    graph = read_tflite(raw_tflite(tensors, [RawOp("SLICE", (0, 1, 2), (3,))], [0], [3]))
    opdef = get_op("SLICE")
    assert opdef is not None and opdef.unsupported_reason(graph.operators[0], graph) is None
    with pytest.raises(ModelError, match=r"\(SLICE\): axis 0: begin 3 size 2"):
        opdef.check_shapes(graph.operators[0], graph)
