"""WindowAssembler: the same windows as data.windowing.make_windows, whatever the chunking."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microforge.errors import DataError
from microforge.postprocess.windows import WindowAssembler


def _reference(signal: np.ndarray, win_len: int, stride: int) -> list[tuple[np.ndarray, int]]:
    starts = range(0, len(signal) - win_len + 1, stride)
    return [(signal[s:s + win_len], s + win_len) for s in starts]


@settings(max_examples=60, deadline=None)
@given(win_len=st.integers(1, 12), stride=st.integers(1, 20), channels=st.integers(1, 3),
       n=st.integers(0, 80), cuts=st.lists(st.integers(0, 80), max_size=6))
def test_windows_match_a_sliding_cut_for_any_chunking(win_len: int, stride: int, channels: int,
                                                      n: int, cuts: list[int]) -> None:
    signal = np.arange(n * channels, dtype=np.float32).reshape(n, channels)
    assembler = WindowAssembler(win_len, channels, stride)
    got = []
    for part in np.split(signal, sorted({min(c, n) for c in cuts})):
        got += [(w.copy(), end) for w, end in assembler.push(part)]
    want = _reference(signal, win_len, stride)
    assert [end for _, end in got] == [end for _, end in want]
    for (g, _), (w, _) in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)
    assert assembler.total == n


def test_interleaved_input_and_reset() -> None:
    assembler = WindowAssembler(2, 2, 1)
    done = assembler.push(np.array([1, 2, 3, 4, 5, 6], dtype=np.float32))
    assert [end for _, end in done] == [2, 3]
    np.testing.assert_array_equal(done[1][0], [[3, 4], [5, 6]])
    assembler.reset()
    assert assembler.push(np.zeros((1, 2))) == [] and assembler.total == 1


def test_bad_frames_are_a_data_error() -> None:
    with pytest.raises(DataError, match="whole frames of 3 channels"):
        WindowAssembler(4, 3, 1).push(np.zeros(5))
    with pytest.raises(DataError, match=">= 1"):
        WindowAssembler(0, 1, 1)
