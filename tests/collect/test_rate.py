"""Rate estimation from line arrival times, on synthetic arrivals (no clocks involved)."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.collect.lines import LineParser, is_text, parse_values
from microforge.collect.rate import estimate_rate, nice_rate


def arrivals(rate, n, jitter_s=0.002, burst=1, seed=0):
    """Line k sent at k / rate, delivered with its burst (the last line of the burst's time)
    plus a latency jitter."""
    rng = np.random.default_rng(seed)
    k = np.arange(n)
    sent = (k // burst * burst + burst - 1) / rate
    return k, sent + rng.uniform(0, jitter_s, n)


@pytest.mark.parametrize(("rate", "n", "burst"), [
    (0.5, 4, 1), (1.0, 5, 1), (1.7, 8, 1), (50.0, 150, 1), (100.0, 300, 4), (1000.0, 3000, 64),
    (16000.0, 48000, 512),
])
def test_within_a_tenth_of_a_percent_at_any_rate(rate, n, burst):
    k, t = arrivals(rate, n, burst=burst)
    est = estimate_rate(k, t)
    assert abs(est.measured - rate) / rate < 0.001, est


def test_late_reads_of_a_busy_host_do_not_bend_the_estimate():
    k, t = arrivals(1000.0, 3000, burst=16)
    t[2400:] += np.linspace(0, 0.12, 600)  # the reader falls behind for the last 0.6 s
    t[1000:1100] = t[1100]  # and stalls once
    assert abs(estimate_rate(k, t).measured - 1000.0) < 1.0


def test_a_stall_does_not_bend_the_estimate():
    k, t = arrivals(100.0, 1000)
    t[400:600] = t[600]  # the host stalled for 2 s, then got 200 lines at once
    assert abs(estimate_rate(k, t).measured - 100.0) < 0.5


def test_too_few_lines_and_round_values():
    assert estimate_rate(np.arange(2), np.array([0.0, 1.0])) is None
    assert estimate_rate(np.arange(3), np.zeros(3)) is None
    assert nice_rate(99.93) == 100.0 and nice_rate(99.7) == 99.7 and nice_rate(0.9991) == 1.0
    assert nice_rate(62.47) == 62.5 and nice_rate(44093.0) == 44100.0
    assert nice_rate(11025.0) == 11025.0 and nice_rate(16003.0) == 16000.0


def test_line_kinds():
    assert parse_values(" 1.5,\t-2e3 ,7 ") is None  # a comma and a tab: two separators
    assert parse_values("1.5,-2e3,7") == [1.5, -2000.0, 7.0]
    assert parse_values("1.5\t-2\t7\r") == [1.5, -2.0, 7.0]
    for noise in ("1.0,-,3", ",,,", "12.5.6,1", "nan,1,2", "1e,2"):
        assert parse_values(noise) is None and not is_text(noise)
    for text in ("status: ok", "yes 0.93", "Boot v1.2"):
        assert is_text(text)
    parser = LineParser()
    kept = []
    for i, raw in enumerate([b"1,2,3", b"\xff\xfe", b"4,5,6", b"7,8", b"hello world", b"9,10,11",
                             b"12,13,14", b"15,16,17"]):
        kept += [v for v, _ in parser.feed(raw, float(i))]
    assert [v[0] for v in kept] == [1, 4, 9, 12, 15]
    s = parser.stats
    assert (s.lines, s.samples, s.garbled, s.wrong_width, s.text_lines, s.slots) == (8, 5, 1, 1,
                                                                                     1, 7)


def test_missing_lines_from_the_lag_of_the_arrivals():
    from microforge.collect.session import missing_lines

    sent = np.arange(500)
    kept = np.array([k for k in sent if not 200 <= k < 212])  # 12 lines lost on the way
    _, t_all = arrivals(100.0, 500, burst=8)
    t = t_all[kept]
    slots = np.arange(len(kept))  # what the receiver counts: the lines it got
    t[-1] += 0.2  # a late read at the end
    assert missing_lines(slots, t, 100.0) == 12
    t[-40:] += np.linspace(0, 0.1, 40)  # the reader falls behind at the end
    assert missing_lines(slots, t, 100.0) == 12
    assert missing_lines(np.arange(500), t_all, 100.0) == 0
