"""SignalEnergy against TFLM on the bins it computes (start_index .. end_index - 1; TFLM
leaves the others unwritten), full-scale spectra included (re = im = -32768 gives 2^31)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.codegen.compiler import compile_model
from microforge.errors import ModelError
from tests.ops.signal_build import Spec, assert_stream_matches_tflm, signal_model


@pytest.mark.parametrize("bins, start, end", [(257, 5, 241), (33, 0, 33), (10, 4, 5)])
def test_energy_matches_tflm(tmp_path: Path, bins: int, start: int, end: int) -> None:
    rng = np.random.default_rng(bins)
    model = signal_model("SignalEnergy", [Spec((2 * bins,), "int16")], [Spec((bins,), "uint32")],
                         {"end_index": end, "start_index": start})
    full = np.full(2 * bins, -32768, np.int16)
    stream = [[rng.integers(-32768, 32768, 2 * bins).astype(np.int16)], [full]]
    assert assert_stream_matches_tflm(model, tmp_path / "e", stream,
                                      compare=[slice(start, end)]) == 2


def test_energy_end_beyond_the_spectrum_is_a_model_error(tmp_path: Path) -> None:
    model = signal_model("SignalEnergy", [Spec((20,), "int16")], [Spec((10,), "uint32")],
                         {"end_index": 11, "start_index": 0})
    with pytest.raises(ModelError, match="SignalEnergy.*'end_index' is 11"):
        compile_model(model, tmp_path / "bad")
