"""SignalRfft (int16, int32, float32) against TFLM: fft lengths 4..1024 (radix-4 stages with and without the
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


def _signals(rng: np.random.Generator, dtype: str, shape: tuple[int, ...]) -> list:
    if dtype == "float32":
        return [[(rng.standard_normal(shape) * scale).astype(np.float32)]
                for scale in (1.0, 1e4, 1e-3)]
    return [[rng.integers(-2**31, 2**31, shape, dtype=np.int64).astype(np.int32)],
            [rng.integers(-3000, 3000, shape).astype(np.int32)],
            [np.full(shape, -2**31, np.int32)]]


@pytest.mark.parametrize("dtype, kind", [("int32", 2), ("float32", 0)])
@pytest.mark.parametrize("fft_length, length, frames", [(512, 480, 1), (8, 5, 2), (128, 128, 1)])
def test_rfft_int32_and_float_match_tflm(tmp_path: Path, dtype: str, kind: int,
                                         fft_length: int, length: int, frames: int) -> None:
    """KISS FFT's FIXED_POINT=32 and float builds: bit for bit (float too: same operations in
    the same order, no contraction under -std=c99)."""
    rng = np.random.default_rng(fft_length + kind)
    bins = 2 * (fft_length // 2 + 1)
    model = signal_model("SignalRfft", [Spec((frames, length), dtype)],
                         [Spec((frames, bins), dtype)], {"T": kind, "fft_length": fft_length})
    stream = _signals(rng, dtype, (frames, length))
    assert assert_stream_matches_tflm(model, tmp_path / "f", stream) == 3


def test_rfft_other_types_and_non_power_of_two_are_reported() -> None:
    int8 = signal_model("SignalRfft", [Spec((16,), "int8")], [Spec((18,), "int8")],
                        {"T": 9, "fft_length": 16})
    assert "has int16 (7), int32 (2) and float32 (0)" in " ".join(
        unsupported_ops(read_tflite(int8)))
    mismatch = signal_model("SignalRfft", [Spec((16,), "float32")], [Spec((18,), "float32")],
                            {"T": 7, "fft_length": 16})
    assert "input is float32 but T is int16" in " ".join(unsupported_ops(read_tflite(mismatch)))
    odd = _rfft(1, 10, 12)
    assert "only powers of two" in " ".join(unsupported_ops(read_tflite(odd)))


def test_rfft_output_too_short_is_a_model_error(tmp_path: Path) -> None:
    model = signal_model("SignalRfft", [Spec((1, 8), "int16")], [Spec((1, 8), "int16")],
                         {"T": 7, "fft_length": 8})
    from microforge.errors import ModelError

    with pytest.raises(ModelError, match="SignalRfft.*last dimension is 8"):
        compile_model(model, tmp_path / "bad")
