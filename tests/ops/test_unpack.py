"""UNPACK vs TFLM: converter-built float32/int8 models (tf.unstack), hand-built int16/int32."""

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


def _draw(seed: int) -> tuple[list[int], int]:
    rng = np.random.default_rng(9800 + seed)
    shape = [int(rng.integers(1, 5)) for _ in range(int(rng.integers(1, 5)))]
    axis = int(rng.integers(-len(shape), len(shape)))
    shape[axis] = max(shape[axis], 2)
    return shape, axis


def converted_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    shape, axis = _draw(seed)

    def fn(x):
        return tf.unstack(x, axis=axis)

    return build_tflite(fn, [shape], mode, seed=seed)


def raw_model(seed: int, dtype: str) -> bytes:
    shape, axis = _draw(seed)
    n = shape[axis]
    piece = [d for k, d in enumerate(shape) if k != axis % len(shape)]
    quant = (0.01, 0) if dtype in ("int8", "int16") else None
    tensors = [RawTensor(tuple(shape), dtype, quant)]
    tensors += [RawTensor(tuple(piece), dtype, quant) for _ in range(n)]
    outs = tuple(range(1, n + 1))
    op = RawOp("UNPACK", (0,), outs, int_options=("UnpackOptions", (n, axis)))
    return raw_tflite(tensors, [op], [0], list(outs))


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3))
def test_unpack_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = converted_model(seed, mode)
    assert op_types(model) == ["UNPACK"]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.parametrize("dtype", ["int16", "int32", "int8", "float32"])
@pytest.mark.parametrize("seed", range(2))
def test_unpack_every_dtype_matches_tflm(tflm, tmp_path: Path, seed: int, dtype: str) -> None:
    check_both_layers(raw_model(seed, dtype), tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["int16", "int32", "int8", "float32"])
@pytest.mark.parametrize("seed", range(2, 15))
def test_unpack_every_dtype_matches_tflm_many(tflm, tmp_path: Path, seed: int,
                                              dtype: str) -> None:
    check_both_layers(raw_model(seed, dtype), tmp_path, seed=seed)


def test_unpack_with_the_wrong_number_of_outputs_is_an_error() -> None:
    tensors = [RawTensor((3, 2), "float32"), RawTensor((2,), "float32"),
               RawTensor((2,), "float32")]
    op = RawOp("UNPACK", (0,), (1, 2), int_options=("UnpackOptions", (2, 0)))
    graph = read_tflite(raw_tflite(tensors, [op], [0], [1, 2]))
    opdef = get_op("UNPACK")
    assert opdef is not None and opdef.unsupported_reason(graph.operators[0], graph) is None
    with pytest.raises(ModelError, match=r"\(UNPACK\): input dimension 0 is 3 but there are 2"):
        opdef.check_shapes(graph.operators[0], graph)
