"""SignalFilterBank against TFLM: the micro_speech preprocessor's own tables on random
energies up to 2^31, and random tables (overlapping triangular channels, widths 0..9);
out-of-range tables are a ModelError."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.codegen.compiler import compile_model
from microforge.errors import ModelError
from microforge.ir.tflite_reader import read_tflite
from tests.ops.signal_build import Spec, assert_stream_matches_tflm, const, signal_model


def _model(bins: int, tables: list[np.ndarray], channels: int) -> bytes:
    return signal_model("SignalFilterBank",
                        [Spec((bins,), "uint32"), *(const(t, "int16") for t in tables)],
                        [Spec((channels,), "uint64")], {"num_channels": channels})


def _random_tables(rng: np.random.Generator, bins: int, channels: int) -> list[np.ndarray]:
    widths = rng.integers(0, 10, channels + 1)
    starts = np.array([rng.integers(0, bins - w + 1) for w in widths])
    weight_starts = np.concatenate([[0], np.cumsum(widths)[:-1]])
    total = max(int(widths.sum()), 1)
    weights = rng.integers(0, 4097, total)
    return [weights, 4096 - weights, starts, weight_starts, widths]


def test_filter_bank_with_the_micro_speech_tables(shared_data: Path, tmp_path: Path) -> None:
    graph = read_tflite(shared_data / "models/tflm_micro_speech/audio_preprocessor_int8.tflite")
    op = next(o for o in graph.operators if o.op_type == "CUSTOM:SignalFilterBank")
    tables = [graph.tensors[i].data for i in op.inputs[1:]]
    rng = np.random.default_rng(0)
    model = _model(257, tables, 40)
    stream = [[rng.integers(0, 2**31, 257, dtype=np.uint32)],
              [rng.integers(0, 2**16, 257, dtype=np.uint32)],
              [np.full(257, 2**31, np.uint32)]]
    assert assert_stream_matches_tflm(model, tmp_path / "fb", stream) == 3


@pytest.mark.parametrize("seed", [1, 2])
def test_filter_bank_random_tables(tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    bins, channels = int(rng.integers(8, 60)), int(rng.integers(1, 12))
    model = _model(bins, _random_tables(rng, bins, channels), channels)
    stream = [[rng.integers(0, 2**32, bins, dtype=np.uint32)] for _ in range(3)]
    assert assert_stream_matches_tflm(model, tmp_path / "fb", stream) == 3


def test_filter_bank_table_beyond_the_spectrum_is_a_model_error(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    tables = _random_tables(rng, 16, 4)
    tables[2] = np.full(5, 15)  # every channel starts at the last bin
    tables[4] = np.full(5, 3)
    with pytest.raises(ModelError, match="SignalFilterBank.*channel 0 reads spectrum bins"):
        compile_model(_model(16, tables, 4), tmp_path / "bad")
