"""PACK vs TFLM: converter-built float32/int8 models (tf.stack), hand-built int16/int32/int64."""

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


def _draw(seed: int) -> tuple[list[int], int, int]:
    rng = np.random.default_rng(9700 + seed)
    shape = [int(rng.integers(1, 5)) for _ in range(int(rng.integers(1, 4)))]
    axis = int(rng.integers(-len(shape) - 1, len(shape) + 1))
    return shape, axis, int(rng.integers(2, 5))


def converted_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    shape, axis, n = _draw(seed)

    def fn(*xs):
        return tf.stack(list(xs), axis=axis)

    return build_tflite(fn, [shape] * n, mode, seed=seed)


def raw_model(seed: int, dtype: str) -> bytes:
    shape, axis, n = _draw(seed)
    out_shape = list(shape)
    out_shape.insert(axis + len(shape) + 1 if axis < 0 else axis, n)
    quant = (0.01, 0) if dtype in ("int8", "int16") else None
    tensors = [RawTensor(tuple(shape), dtype, quant) for _ in range(n)]
    tensors.append(RawTensor(tuple(out_shape), dtype, quant))
    op = RawOp("PACK", tuple(range(n)), (n,), int_options=("PackOptions", (n, axis)))
    return raw_tflite(tensors, [op], list(range(n)), [n])


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3))
def test_pack_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = converted_model(seed, mode)
    assert op_types(model) == ["PACK"]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.parametrize("dtype", ["int16", "int32", "int64", "int8", "float32"])
@pytest.mark.parametrize("seed", range(2))
def test_pack_every_dtype_matches_tflm(tflm, tmp_path: Path, seed: int, dtype: str) -> None:
    check_both_layers(raw_model(seed, dtype), tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["int16", "int32", "int64", "int8", "float32"])
@pytest.mark.parametrize("seed", range(2, 15))
def test_pack_every_dtype_matches_tflm_many(tflm, tmp_path: Path, seed: int,
                                            dtype: str) -> None:
    check_both_layers(raw_model(seed, dtype), tmp_path, seed=seed)


def test_pack_of_unequal_inputs_is_an_error() -> None:
    tensors = [RawTensor((2, 3), "float32"), RawTensor((3, 2), "float32"),
               RawTensor((2, 2, 3), "float32")]
    op = RawOp("PACK", (0, 1), (2,), int_options=("PackOptions", (2, 0)))
    graph = read_tflite(raw_tflite(tensors, [op], [0, 1], [2]))
    opdef = get_op("PACK")
    assert opdef is not None and opdef.unsupported_reason(graph.operators[0], graph) is None
    with pytest.raises(ModelError, match=r"\(PACK\): input 1 has shape \[3, 2\], should be"):
        opdef.check_shapes(graph.operators[0], graph)
