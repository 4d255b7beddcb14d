"""SignalOverlapAdd against TFLM over streams of invokes: int16 (saturating) and float32,
steps from 1 to the frame size, several frames per invoke and several rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.signal_build import Spec, assert_stream_matches_tflm, signal_model


@pytest.mark.parametrize("dtype, shape, step", [("int16", (3, 16), 4), ("int16", (2, 2, 9), 9),
                                                ("float32", (1, 32), 8), ("float32", (2, 3, 6), 1)])
def test_overlap_add_matches_tflm(tmp_path: Path, dtype: str, shape: tuple[int, ...],
                                  step: int) -> None:
    rng = np.random.default_rng(step)
    out_shape = (*shape[:-2], shape[-2] * step)
    model = signal_model("SignalOverlapAdd", [Spec(shape, dtype)], [Spec(out_shape, dtype)],
                         {"T": 7 if dtype == "int16" else 0, "frame_step": step})
    if dtype == "int16":
        stream = [[rng.integers(-20000, 20000, shape).astype(np.int16)] for _ in range(6)]
    else:
        stream = [[rng.standard_normal(shape).astype(np.float32)] for _ in range(6)]
    assert assert_stream_matches_tflm(model, tmp_path / "o", stream) == 6
