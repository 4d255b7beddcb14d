"""SignalFilterBankLog against TFLM: inputs of every magnitude (0, 1, every power of two and
its neighbours, random), correction shifts and output scales (saturation at 32767 included);
and the compiler's log table against the one TFLM's results imply."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.ops.signal_filter_bank_log import log_correction_table
from tests.ops.signal_build import Spec, assert_stream_matches_tflm, signal_model


def _inputs(rng: np.random.Generator) -> np.ndarray:
    powers = np.array([1 << k for k in range(32)], dtype=np.uint64)
    special = np.concatenate([[0, 1, 2, 3], powers, powers - 1, powers + 1,
                              [2**32 - 1]]).astype(np.uint64)
    special = special[special < 2**32].astype(np.uint32)
    randoms = (rng.integers(0, 2**32, 256, dtype=np.uint64) >> rng.integers(0, 32, 256).astype(
        np.uint64)).astype(np.uint32)
    return np.concatenate([special, randoms])


@pytest.mark.parametrize("scale, correction", [(64, 3), (1600, 0), (1 << 16, 0), (7, 12)])
def test_filter_bank_log_matches_tflm(tmp_path: Path, scale: int, correction: int) -> None:
    rng = np.random.default_rng(scale)
    values = _inputs(rng)
    model = signal_model("SignalFilterBankLog", [Spec((values.size,), "uint32")],
                         [Spec((values.size,), "int16")],
                         {"input_correction_bits": correction, "output_scale": scale})
    stream = [[values], [rng.permutation(values)]]
    assert assert_stream_matches_tflm(model, tmp_path / "l", stream) == 2


def test_log_table_shape() -> None:
    table = log_correction_table()
    assert table.dtype == np.uint16 and table.size == 130
    assert table[0] == 0 and table[128] == 0 and table[129] == 0
    assert int(table.max()) == int(table[57])  # log2(1 + f) - f peaks at f = 1/ln 2 - 1
