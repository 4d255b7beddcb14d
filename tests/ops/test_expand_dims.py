"""EXPAND_DIMS: a pure alias. Hand-built .tflite files (the converter emits RESHAPE for
tf.expand_dims) vs TFLM; the in-graph alias is tested in test_squeeze.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.ir.tflite_reader import read_tflite
from microforge.ops.base import get_op
from tests.ops.layout_harness import RawOp, RawTensor, check_both_layers, raw_tflite


def expand_dims_model(seed: int, dtype: str) -> bytes:
    rng = np.random.default_rng(8000 + seed)
    rank = int(rng.integers(1, 5))
    shape = [int(rng.integers(1, 6)) for _ in range(rank)]
    axis = int(rng.integers(-rank - 1, rank + 1))
    position = axis + rank + 1 if axis < 0 else axis
    out_shape = (*shape[:position], 1, *shape[position:])
    quant = None
    if dtype in ("int8", "int16"):  # int16: symmetric (zero point 0), as the 16x8 scheme
        quant = (float(rng.uniform(0.01, 0.1)), int(rng.integers(-20, 20)) if dtype == "int8" else 0)
    tensors = [RawTensor(tuple(shape), dtype, quant),
               RawTensor((1,), "int32", data=np.array([axis], np.int32)),
               RawTensor(out_shape, dtype, quant)]
    return raw_tflite(tensors, [RawOp("EXPAND_DIMS", (0, 1), (2,))], [0], [2])


@pytest.mark.parametrize("dtype", ["int8", "int16", "float32"])
@pytest.mark.parametrize("seed", range(4))
def test_expand_dims_matches_tflm(tflm, tmp_path: Path, seed: int, dtype: str) -> None:
    check_both_layers(expand_dims_model(seed, dtype), tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["int8", "int16", "float32"])
@pytest.mark.parametrize("seed", range(4, 30))
def test_expand_dims_matches_tflm_many(tflm, tmp_path: Path, seed: int, dtype: str) -> None:
    check_both_layers(expand_dims_model(seed, dtype), tmp_path, seed=seed)


def test_expand_dims_is_an_alias_of_its_input() -> None:
    graph = read_tflite(expand_dims_model(0, "int8"))
    op = graph.operators[0]
    opdef = get_op("EXPAND_DIMS")
    assert opdef is not None
    assert opdef.memory(op, graph, opdef.prepare(op, graph)).alias_input == 0
