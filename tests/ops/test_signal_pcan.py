"""SignalPCAN against TFLM: the micro_speech preprocessor's gain table with noise estimates and
energies of every magnitude (every table segment, 0..2^32 - 1), and a random table; a table
shorter than TFLM reads is a ModelError."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.codegen.compiler import compile_model
from microforge.errors import ModelError
from microforge.ir.tflite_reader import read_tflite
from tests.ops.signal_build import Spec, assert_stream_matches_tflm, const, signal_model


def _model(lut: np.ndarray, n: int, snr_shift: int) -> bytes:
    return signal_model("SignalPCAN", [Spec((n,), "uint32"), Spec((n,), "uint32"),
                                       const(lut, "int16")],
                        [Spec((n,), "uint32")], {"snr_shift": snr_shift})


def _stream(rng: np.random.Generator, n: int) -> list[list[np.ndarray]]:
    stream = []
    for _ in range(4):
        noise = (rng.integers(0, 2**32, n, dtype=np.uint64) >> rng.integers(0, 33, n).astype(
            np.uint64)).astype(np.uint32)
        noise[:3] = [0, 1, 2]
        energy = (rng.integers(0, 2**32, n, dtype=np.uint64) >> rng.integers(0, 33, n).astype(
            np.uint64)).astype(np.uint32)
        stream.append([energy, noise])
    return stream


def test_pcan_with_the_micro_speech_gain_table(shared_data: Path, tmp_path: Path) -> None:
    graph = read_tflite(shared_data / "models/tflm_micro_speech/audio_preprocessor_int8.tflite")
    op = next(o for o in graph.operators if o.op_type == "CUSTOM:SignalPCAN")
    lut = graph.tensors[op.inputs[2]].data
    rng = np.random.default_rng(0)
    assert assert_stream_matches_tflm(_model(lut, 96, 6), tmp_path / "p", _stream(rng, 96)) == 4


def test_pcan_random_table_and_shift(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    lut = rng.integers(-2000, 2000, 125)
    assert assert_stream_matches_tflm(_model(lut, 64, 9), tmp_path / "p", _stream(rng, 64)) == 4


def test_pcan_short_gain_table_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="SignalPCAN.*gain table has 100 entries"):
        compile_model(_model(np.zeros(100), 8, 6), tmp_path / "bad")
