"""The int32 path of ADD, SUB, MUL, DIV, MAXIMUM and MINIMUM (ops/binary_int32.py) against
TFLM: unquantized int32 tensors as TFLM's audio preprocessor has them, random values (products
that wrap included), broadcasting a scalar and a row, every fused activation (which TFLM applies
to SUB, MUL and DIV but not to ADD)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.fuzz.schema import schema
from tests.ops.signal_build import Spec, assert_stream_matches_tflm, signal_model

# builtin code, BuiltinOptions type, options class (None: no options table)
OPS = {"ADD": (0, 11, "AddOptionsT"), "SUB": (41, 28, "SubOptionsT"),
       "MUL": (18, 21, "MulOptionsT"), "DIV": (42, 29, "DivOptionsT"),
       "MAXIMUM": (55, 39, "MaximumMinimumOptionsT"),
       "MINIMUM": (57, 39, "MaximumMinimumOptionsT")}
ACTIVATIONS = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3}


def _model(op: str, shape1: tuple[int, ...], shape2: tuple[int, ...], activation: str) -> bytes:
    code, kind, cls = OPS[op]
    options = getattr(schema(), cls)()
    if hasattr(options, "fusedActivationFunction"):
        options.fusedActivationFunction = ACTIVATIONS[activation]
    out = np.broadcast_shapes(shape1, shape2)
    return signal_model(op, [Spec(shape1, "int32"), Spec(shape2, "int32")],
                        [Spec(tuple(out), "int32")], builtin=code,
                        builtin_options=(kind, options))


@pytest.mark.slow
@pytest.mark.parametrize("op", list(OPS))
def test_int32_binary_matches_tflm(tmp_path: Path, op: str) -> None:
    rng = np.random.default_rng(len(op))
    for shapes, activation in (((40,), (40,)), "NONE"), (((3, 8), ()), "RELU"), \
            (((2, 3, 5), (5,)), "RELU6"), (((16,), (1,)), "RELU_N1_TO_1"):
        model = _model(op, *shapes, activation)
        stream = []
        for top in (10, 2**16, 2**31 - 1):
            a = rng.integers(-top, top, shapes[0], dtype=np.int64).astype(np.int32)
            b = rng.integers(-top, top, shapes[1], dtype=np.int64).astype(np.int32)
            if op == "DIV":
                b = np.where(b == 0, 7, b).astype(np.int32)
            stream.append([a, b])
        assert assert_stream_matches_tflm(model, tmp_path / f"{op}{len(shapes[0])}", stream) == 3
