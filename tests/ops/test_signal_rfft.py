"""SignalRfft (int16) against TFLM: fft lengths 4..1024 (radix-4 stages with and without the
final radix 2), frames shorter than the FFT (zero padding), several frames per invoke, full
scale and small signals, and the micro_speech geometry (480 samples, fft_length 512)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.codegen.compiler import compile_model, unsupported_ops
from microforge.ir.tflite_reader import read_tflite
from tests.ops.signal_build import Spec, assert_stream_matches_tflm, signal_model


def _rfft(frames: int, length: int, fft_length: int, kind: int = 7) -> bytes:
    bins = 2 * (fft_length // 2 + 1)
    return signal_model("SignalRfft", [Spec((frames, length), "int16")],
                        [Spec((frames, bins), "int16")], {"T": kind, "fft_length": fft_length})


@pytest.mark.parametrize("fft_length, length, frames", [
    (512, 480, 1), (4, 3, 2), (8, 8, 1), (16, 11, 3), (64, 64, 1), (128, 100, 2), (1024, 1000, 1),
])
def test_rfft_matches_tflm(tmp_path: Path, fft_length: int, length: int, frames: int) -> None:
    rng = np.random.default_rng(fft_length + length)
    model = _rfft(frames, length, fft_length)
    stream = [[rng.integers(-32768, 32768, (frames, length)).astype(np.int16)],
              [rng.integers(-300, 300, (frames, length)).astype(np.int16)],
              [np.full((frames, length), -32768, np.int16)],
              [(8000 * np.sin(np.arange(frames * length) * 0.3)).astype(np.int16).reshape(
                  frames, length)]]
    assert assert_stream_matches_tflm(model, tmp_path / "f", stream) == 4


def test_rfft_float_and_non_power_of_two_are_reported() -> None:
    float_model = signal_model("SignalRfft", [Spec((16,), "float32")], [Spec((18,), "float32")],
                               {"T": 0, "fft_length": 16})
    assert "SignalRfft takes int16" in " ".join(unsupported_ops(read_tflite(float_model)))
    int32_kind = _rfft(1, 8, 8, kind=2)
    assert "only the int16 Rfft" in " ".join(unsupported_ops(read_tflite(int32_kind)))
    odd = _rfft(1, 10, 12)
    assert "only powers of two" in " ".join(unsupported_ops(read_tflite(odd)))


def test_rfft_output_too_short_is_a_model_error(tmp_path: Path) -> None:
    model = signal_model("SignalRfft", [Spec((1, 8), "int16")], [Spec((1, 8), "int16")],
                         {"T": 7, "fft_length": 8})
    from microforge.errors import ModelError

    with pytest.raises(ModelError, match="SignalRfft.*last dimension is 8"):
        compile_model(model, tmp_path / "bad")
