"""SignalStacker against TFLM over streams of invokes: left/right contexts and steps, the
first frame's left padding; `valid` compared on every invoke, the stack when it is valid
(TFLM leaves an incomplete stack unwritten)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.runners.host import compile_and_load
from microforge.runners.tflm import run_tflm, tflm_interpreter
from tests.ops.signal_build import Spec, signal_model


@pytest.mark.parametrize("channels, left, right, step", [(40, 3, 0, 1), (8, 1, 2, 2),
                                                         (5, 0, 0, 1), (3, 2, 3, 6)])
def test_stacker_matches_tflm(tmp_path: Path, channels: int, left: int, right: int,
                              step: int) -> None:
    rng = np.random.default_rng(channels + left)
    frames = left + right + 1
    model = signal_model("SignalStacker", [Spec((channels,), "int16")],
                         [Spec((channels * frames,), "int16"), Spec((), "bool")],
                         {"num_channels": channels, "stacker_left_context": left,
                          "stacker_right_context": right, "stacker_step": step})
    ours_model = compile_and_load(model, tmp_path / "s", "op")
    interpreter = tflm_interpreter(model)
    valid_seen = 0
    for index in range(14):
        x = rng.integers(-32768, 32768, channels).astype(np.int16)
        ref_stack, ref_valid = run_tflm(model, [x], interpreter)
        stack, valid = ours_model.run([x])
        assert bool(valid) == bool(ref_valid), index
        if ref_valid:
            valid_seen += 1
            np.testing.assert_array_equal(stack, ref_stack, err_msg=f"invoke {index}")
    assert valid_seen >= 2
