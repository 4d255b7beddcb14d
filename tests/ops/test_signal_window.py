"""SignalWindow against TFLM: random int16 frames and windows, shifts 0..15 (saturation
included), one or several frames per invoke."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.codegen.compiler import compile_model
from microforge.errors import ModelError
from tests.ops.signal_build import Spec, assert_stream_matches_tflm, const, signal_model


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_window_matches_tflm(tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 300))
    frames = int(rng.integers(1, 4))
    shift = int(rng.integers(0, 16))
    window = rng.integers(-32768, 32768, size).astype(np.int16)
    shape = (frames, size)
    model = signal_model("SignalWindow", [Spec(shape, "int16"), const(window, "int16")],
                         [Spec(shape, "int16")], {"shift": shift})
    stream = [[rng.integers(-32768, 32768, shape).astype(np.int16)] for _ in range(4)]
    assert assert_stream_matches_tflm(model, tmp_path / "w", stream) == 4


def test_window_without_shift_option_names_the_field(tmp_path: Path) -> None:
    model = signal_model("SignalWindow", [Spec((1, 8), "int16"), const(np.ones(8), "int16")],
                         [Spec((1, 8), "int16")], {"shfit": 3})
    with pytest.raises(ModelError, match="SignalWindow.*'shift' is missing"):
        compile_model(model, tmp_path / "bad")
