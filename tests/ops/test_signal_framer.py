"""SignalFramer against TFLM over streams of invokes: with prefill (every frame valid) and
without (the first invokes incomplete: `valid` compared, their frames not, as TFLM leaves
them unwritten), frame sizes that are and are not multiples of the step, several rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.runners.host import compile_and_load
from microforge.runners.tflm import run_tflm, tflm_interpreter
from tests.ops.signal_build import Spec, signal_model


@pytest.mark.parametrize("rows, size, step, per_invoke, prefill", [
    (1, 400, 160, 2, True), (1, 400, 160, 2, False), (2, 8, 4, 3, False), (3, 5, 2, 1, True)])
def test_framer_matches_tflm(tmp_path: Path, rows: int, size: int, step: int, per_invoke: int,
                             prefill: bool) -> None:
    rng = np.random.default_rng(size + step)
    shape = (rows, per_invoke * step)
    model = signal_model("SignalFramer", [Spec(shape, "int16")],
                         [Spec((rows, per_invoke, size), "int16"), Spec((), "bool")],
                         {"frame_size": size, "frame_step": step, "prefill": prefill})
    ours_model = compile_and_load(model, tmp_path / "f", "op")
    interpreter = tflm_interpreter(model)
    valid_seen = 0
    for step_index in range(10):
        x = rng.integers(-32768, 32768, shape).astype(np.int16)
        ref_frames, ref_valid = run_tflm(model, [x], interpreter)
        frames, valid = ours_model.run([x])
        assert bool(valid) == bool(ref_valid), step_index
        if ref_valid:
            valid_seen += 1
            np.testing.assert_array_equal(frames, ref_frames, err_msg=f"invoke {step_index}")
    assert valid_seen >= (10 if prefill else 5)
