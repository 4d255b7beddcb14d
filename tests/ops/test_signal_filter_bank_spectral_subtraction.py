"""SignalFilterBankSpectralSubtraction against TFLM over streams of invokes (the noise
estimate is state carried from one invoke to the next): the micro_speech options and random
ones, with and without clamping; reset clears the estimate as TFLM's Reset does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.codegen.compiler import compile_model
from microforge.errors import ModelError
from microforge.runners.host import compile_and_load
from tests.ops.signal_build import Spec, assert_stream_matches_tflm, signal_model

MICRO_SPEECH = {"alternate_one_minus_smoothing": 15401, "alternate_smoothing": 983,
                "clamping": False, "min_signal_remaining": 819, "num_channels": 40,
                "one_minus_smoothing": 15975, "smoothing": 409, "smoothing_bits": 10,
                "spectral_subtraction_bits": 14}


def _model(options: dict) -> bytes:
    n = options["num_channels"]
    return signal_model("SignalFilterBankSpectralSubtraction", [Spec((n,), "uint32")],
                        [Spec((n,), "uint32"), Spec((n,), "uint32")], options)


def _stream(rng: np.random.Generator, n: int, invokes: int = 20) -> list[list[np.ndarray]]:
    level = rng.integers(0, 2**12, n)
    return [[(level * rng.uniform(0.2, 3.0, n)).astype(np.uint32)] for _ in range(invokes)]


def test_spectral_subtraction_micro_speech_options(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    assert assert_stream_matches_tflm(_model(MICRO_SPEECH), tmp_path / "s",
                                      _stream(rng, 40)) == 20


@pytest.mark.parametrize("seed", [1, 2])
def test_spectral_subtraction_random_options(tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    bits = int(rng.integers(8, 16))
    smoothing, alternate = (int(v) for v in rng.integers(1, 1 << bits, 2))
    options = {"alternate_one_minus_smoothing": (1 << bits) - alternate,
               "alternate_smoothing": alternate, "clamping": bool(seed % 2),
               "min_signal_remaining": int(rng.integers(0, 1 << bits)),
               "num_channels": int(rng.integers(1, 33)),
               "one_minus_smoothing": (1 << bits) - smoothing, "smoothing": smoothing,
               "smoothing_bits": int(rng.integers(0, 12)), "spectral_subtraction_bits": bits}
    stream = _stream(rng, options["num_channels"])
    assert assert_stream_matches_tflm(_model(options), tmp_path / "s", stream) == 20


def test_reset_clears_the_noise_estimate(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    compiled = compile_and_load(_model(MICRO_SPEECH), tmp_path / "r", "op")
    frames = _stream(rng, 40, 5)
    first = [compiled.run(f) for f in frames]
    compiled.reset()
    again = [compiled.run(f) for f in frames]
    for a, b in zip(first, again, strict=True):
        assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert compiled.info.state_size >= 4 * 40


def test_missing_smoothing_option_names_the_field(tmp_path: Path) -> None:
    options = {k: v for k, v in MICRO_SPEECH.items() if k != "smoothing"}
    with pytest.raises(ModelError, match="SpectralSubtraction.*'smoothing' is missing"):
        compile_model(_model(options), tmp_path / "bad")
