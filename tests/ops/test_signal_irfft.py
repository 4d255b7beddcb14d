"""SignalIrfft (int16) against TFLM: fft lengths 4..1024, several frames per invoke, random
spectra of every scale and full-scale ones (wrapping), and the spectra SignalRfft makes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.codegen.compiler import unsupported_ops
from microforge.ir.tflite_reader import read_tflite
from microforge.runners.tflm import run_tflm
from tests.ops.signal_build import Spec, assert_stream_matches_tflm, signal_model


def _irfft(frames: int, fft_length: int, kind: int = 7) -> bytes:
    bins = 2 * (fft_length // 2 + 1)
    return signal_model("SignalIrfft", [Spec((frames, bins), "int16")],
                        [Spec((frames, fft_length), "int16")], {"T": kind, "fft_length": fft_length})


@pytest.mark.parametrize("fft_length, frames", [(512, 1), (4, 2), (8, 1), (16, 3), (128, 2),
                                                (1024, 1)])
def test_irfft_matches_tflm(tmp_path: Path, fft_length: int, frames: int) -> None:
    rng = np.random.default_rng(fft_length)
    bins = 2 * (fft_length // 2 + 1)
    rfft = signal_model("SignalRfft", [Spec((frames, fft_length), "int16")],
                        [Spec((frames, bins), "int16")], {"T": 7, "fft_length": fft_length})
    signal = rng.integers(-32768, 32768, (frames, fft_length)).astype(np.int16)
    spectrum = run_tflm(rfft, [signal])[0]
    stream = [[rng.integers(-32768, 32768, (frames, bins)).astype(np.int16)],
              [rng.integers(-200, 200, (frames, bins)).astype(np.int16)],
              [np.full((frames, bins), -32768, np.int16)], [spectrum]]
    assert assert_stream_matches_tflm(_irfft(frames, fft_length), tmp_path / "i", stream) == 4


def test_irfft_other_types_are_reported() -> None:
    assert "only the int16 Irfft" in " ".join(unsupported_ops(read_tflite(_irfft(1, 8, kind=2))))
