"""SignalDelay against TFLM over streams of invokes: delays shorter and longer than the frame,
several rows, delay 0; and after a reset."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.signal_build import Spec, assert_stream_matches_tflm, signal_model


@pytest.mark.parametrize("shape, delay", [((160,), 40), ((2, 16), 37), ((3, 8), 0),
                                          ((1, 5), 5)])
def test_delay_matches_tflm(tmp_path: Path, shape: tuple[int, ...], delay: int) -> None:
    rng = np.random.default_rng(delay + shape[-1])
    model = signal_model("SignalDelay", [Spec(shape, "int16")], [Spec(shape, "int16")],
                         {"delay_length": delay})
    stream = [[rng.integers(-32768, 32768, shape).astype(np.int16)] for _ in range(8)]
    assert assert_stream_matches_tflm(model, tmp_path / "d", stream) == 8
