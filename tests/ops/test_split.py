"""SPLIT vs TFLM: converter-built float32/int8 models, hand-built int16/int32 ones (several
outputs through the harness and microforge.compile)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.errors import ModelError
from microforge.ir.tflite_reader import read_tflite
from microforge.ops.base import get_op
from tests.ops.layout_harness import RawOp, RawTensor, check_both_layers, raw_tflite
from tests.ops.split_cases import converted_model, raw_model
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import op_types

OP = "SPLIT"


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3))
def test_split_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = converted_model(seed, mode, OP)
    assert op_types(model) == [OP]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.parametrize("dtype", ["int16", "int32", "int8", "float32"])
@pytest.mark.parametrize("seed", range(2))
def test_split_every_dtype_matches_tflm(tflm, tmp_path: Path, seed: int, dtype: str) -> None:
    check_both_layers(raw_model(seed, dtype, OP), tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["int16", "int32", "int8", "float32"])
@pytest.mark.parametrize("seed", range(2, 15))
def test_split_every_dtype_matches_tflm_many(tflm, tmp_path: Path, seed: int, dtype: str) -> None:
    check_both_layers(raw_model(seed, dtype, OP), tmp_path, seed=seed)


def test_split_outputs_that_do_not_add_up_are_an_error() -> None:
    tensors = [RawTensor((4, 3), "float32"), RawTensor((1,), "int32", data=np.array([0], np.int32)),
               RawTensor((1, 3), "float32"), RawTensor((2, 3), "float32")]
    graph = read_tflite(raw_tflite(tensors, [RawOp("SPLIT", (1, 0), (2, 3))], [0], [2, 3]))
    opdef = get_op("SPLIT")
    assert opdef is not None and opdef.unsupported_reason(graph.operators[0], graph) is None
    with pytest.raises(ModelError, match=r"\(SPLIT\): outputs add up to 3 along axis 0"):
        opdef.check_shapes(graph.operators[0], graph)


@pytest.mark.parametrize("mode", ["int8", "float"])
def test_split_pieces_feeding_other_ops(tf, tflm, tmp_path: Path, mode: str) -> None:
    """The pieces live in the arena (planned like any op output) and are read by later ops."""
    def fn(x):
        a, b, c = tf.split(tf.nn.relu(x), 3, axis=1)
        return tf.concat([c * b, a], axis=2)

    model = build_tflite(fn, [(2, 6, 4)], mode)
    assert "SPLIT" in op_types(model)
    check_both_layers(model, tmp_path)
