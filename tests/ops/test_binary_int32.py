"""int32 ADD, SUB, MUL, MAXIMUM, MINIMUM (binary_s32) against TFLM: broadcasting, the fused
activation (TFLM's int32 ADD ignores it, SUB and MUL clamp), wrapping on overflow."""

from __future__ import annotations

import pytest

from tests.ops.comparison_cases import raw_samples
from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

ACTIVATIONS = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3}
OPTIONS = {"ADD": "AddOptions", "SUB": "SubOptions", "MUL": "MulOptions"}


def _model(op_type: str, activation: str, shapes=((2, 1, 5), (3, 1))) -> bytes:
    import numpy as np

    out = tuple(np.broadcast_shapes(*shapes))
    tensors = [RawTensor(tuple(shapes[0]), "int32"), RawTensor(tuple(shapes[1]), "int32"),
               RawTensor(out, "int32")]
    options = ((OPTIONS[op_type], (ACTIVATIONS[activation],)) if op_type in OPTIONS else None)
    return raw_tflite(tensors, [RawOp(op_type, (0, 1), (2,), int_options=options)], [0, 1], [2])


@pytest.mark.parametrize("op_type", ["ADD", "SUB", "MUL"])
@pytest.mark.parametrize("activation", ["NONE", "RELU", "RELU6"])
def test_arithmetic_matches_tflm(tflm, tmp_path, op_type: str, activation: str) -> None:
    check_samples(_model(op_type, activation), tmp_path, raw_samples("int32", seed=4))


@pytest.mark.parametrize("op_type", ["MAXIMUM", "MINIMUM"])
def test_maximum_minimum_match_tflm(tflm, tmp_path, op_type: str) -> None:
    check_samples(_model(op_type, "NONE"), tmp_path, raw_samples("int32", seed=5))


def test_same_shapes_match_tflm(tflm, tmp_path) -> None:
    shapes = ((3, 4), (3, 4))
    check_samples(_model("MUL", "NONE", shapes), tmp_path,
                  raw_samples("int32", seed=6, shapes=shapes))
