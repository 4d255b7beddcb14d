"""SignalFilterBankSquareRoot against TFLM: uint64 energies of every magnitude (the 32-bit
path below 2^32, the 64-bit one above, values next to perfect squares) and every scale shift
0..15 given as the int32 scalar input."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.ops.signal_build import Spec, assert_stream_matches_tflm, signal_model


def test_square_root_matches_tflm(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    n = 64
    model = signal_model("SignalFilterBankSquareRoot",
                         [Spec((n,), "uint64"), Spec((), "int32")], [Spec((n,), "uint32")])
    stream = []
    for shift in range(16):
        bits = rng.integers(0, 64, n)
        values = np.array([int(rng.integers(0, 2**62)) >> (62 - min(int(b), 62)) for b in bits],
                          dtype=np.uint64)
        values[:4] = [0, 1, 2**32 - 1, 2**64 - 1]
        roots = rng.integers(1, 2**31, 4).astype(np.uint64)
        values[4:8] = roots * roots
        values[8:12] = roots * roots - np.uint64(1)
        values[12:16] = roots * roots + roots
        stream.append([values, np.array(shift, np.int32)])
    assert assert_stream_matches_tflm(model, tmp_path / "s", stream) == 16
