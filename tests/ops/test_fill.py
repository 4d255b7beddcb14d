"""FILL vs TFLM: float32, int32 and int8, the value a graph input (read at run time)."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.ir.tflite_reader import read_tflite
from microforge.ops.base import get_op
from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

SHAPE = (2, 3, 5)


def fill_model(dtype: str, dims: tuple[int, ...] = SHAPE, value_shape=()) -> bytes:
    quant = (0.5, 3) if dtype == "int8" else None
    tensors = [RawTensor((len(dims),), "int32", data=np.asarray(dims, np.int32)),
               RawTensor(value_shape, dtype, quant), RawTensor(SHAPE, dtype, quant)]
    return raw_tflite(tensors, [RawOp("FILL", (0, 1), (2,))], [1], [2])


@pytest.mark.parametrize("dtype", ["float32", "int32", "int8"])
def test_matches_tflm(tflm, tmp_path, dtype: str) -> None:
    values = {"float32": [-1.5, 3.25e7], "int32": [-2**31, 17], "int8": [-128, 127]}[dtype]
    check_samples(fill_model(dtype), tmp_path, [[np.asarray(v, dtype)] for v in values])


def test_dims_must_be_the_output_shape() -> None:
    from microforge.errors import ModelError

    graph = read_tflite(fill_model("float32", dims=(3, 2, 5)))
    op = graph.operators[0]
    with pytest.raises(ModelError, match=r"dims \[3, 2, 5\] differ from the output shape"):
        get_op("FILL").check_shapes(op, graph)
