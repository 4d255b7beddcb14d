"""SignalFftAutoScale against TFLM: frames of every magnitude (so every shift 0..15), an
all-zero frame, and frames holding -32768 (where TFLM's int16 running maximum wraps)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.ops.signal_build import Spec, assert_stream_matches_tflm, signal_model


def test_auto_scale_matches_tflm_on_every_shift(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    size = 480
    model = signal_model("SignalFftAutoScale", [Spec((size,), "int16")],
                         [Spec((size,), "int16"), Spec((), "int32")])
    stream = []
    for bits in range(16):
        top = 1 << bits
        stream.append([rng.integers(-top, top, size).astype(np.int16)])
    stream.append([np.zeros(size, np.int16)])
    wrapped = rng.integers(-100, 100, size).astype(np.int16)
    wrapped[[3, 200]] = -32768
    stream.append([wrapped])
    late = wrapped.copy()
    late[400] = 5  # larger than the wrapped maximum: TFLM takes it
    stream.append([late])
    assert assert_stream_matches_tflm(model, tmp_path / "a", stream) == 19
