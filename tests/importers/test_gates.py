"""importers.gates: a float operator in an 'int8' model is named with its tensor, and the
agreement gate refuses in one line naming the output."""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.errors import ModelError
from microforge.importers.gates import (
    Agreement,
    OutputAgreement,
    check_agreement,
    check_int8,
    float_tensors,
)
from microforge.importers.onnx_model import OnnxModel
from microforge.ir.tflite_reader import read_tflite

MODEL = OnnxModel(Path("net.onnx"), None, ("x",), ((1, 4),), ("y",))


def test_float_operators_are_named(shared_data: Path) -> None:
    graph = read_tflite(shared_data / "models/tflm_hello_world/hello_world_float.tflite")
    found = float_tensors(graph)
    assert len(found) == len(graph.operators)
    assert found[0].startswith("FULLY_CONNECTED (operator 0) tensor ") and "float32" in found[0]
    with pytest.raises(ModelError, match="keeps float operators: FULLY_CONNECTED"):
        check_int8(graph, MODEL)
    int8 = read_tflite(shared_data / "models/tflm_hello_world/hello_world_int8.tflite")
    assert float_tensors(int8) == []


def _agreement(top1: float | None, sqnr: float, error: float = 0.1) -> Agreement:
    return Agreement(100, (OutputAgreement("y", top1, sqnr, error, 1.0),))


def test_agreement_gate() -> None:
    check_agreement(MODEL, _agreement(1.0, 30.0), "int8")
    check_agreement(MODEL, _agreement(None, 30.0), "int8")  # a single value: SQNR only
    with pytest.raises(ModelError, match=r"int8 output 'y' agrees .* on 95.0% of 100 samples"):
        check_agreement(MODEL, _agreement(0.95, 30.0), "int8")
    with pytest.raises(ModelError, match=r"SQNR of 12.0 dB"):
        check_agreement(MODEL, _agreement(1.0, 12.0), "int8")
    check_agreement(MODEL, _agreement(0.95, 12.0), "int8", min_top1=0.9, min_sqnr_db=10)
    check_agreement(MODEL, _agreement(0.5, 5.0, error=1e-4), "float")
    with pytest.raises(ModelError, match="converted float model disagrees"):
        check_agreement(MODEL, _agreement(1.0, 40.0, error=0.01), "float")
