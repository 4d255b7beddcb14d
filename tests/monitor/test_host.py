"""The generated monitor in C (host gcc, ASan/UBSan) == microforge.monitor.summary, bit for
bit, on real UCI HAR windows: every period's full and tiny record bytes and the exact Welford
state (n, mean Q16, m2 Q16)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.monitor.emit import write_monitor
from microforge.monitor.host import run_host_monitor
from microforge.monitor.spec import FORM_FULL, FORM_TINY, TINY_LIMIT
from microforge.monitor.summary import Summary
from microforge.monitor.telemetry import encode_record, verify_record
from tests.monitor.har import HELD_OUT, VAL, Har

pytestmark = pytest.mark.slow
KEY = bytes(range(32))


def python_periods(har: Har, inputs: np.ndarray, scores: np.ndarray, latencies: np.ndarray):
    spec = har.ref.spec
    summary, periods = Summary(spec), []
    for i, (x, q, t) in enumerate(zip(inputs, scores, latencies, strict=True)):
        summary.observe(x, q, int(t))
        if summary.windows == spec.period_windows or i == len(inputs) - 1:
            periods.append((encode_record(summary, device_id=77, seq=100 + len(periods),
                                          key=KEY, form=FORM_FULL),
                            encode_record(summary, device_id=77, seq=100 + len(periods),
                                          key=KEY, form=FORM_TINY),
                            [(w.n, w.mean, w.m2) for w in summary.welford],
                            summary.latency_min, summary.latency_sum))
            summary.reset()
    return periods


def test_c_summaries_equal_python_on_real_windows(har: Har, tmp_path: Path) -> None:
    windows = har.mask(VAL + HELD_OUT)
    inputs, scores = har.int8(har.x[windows])
    # gain drift on half the windows too: saturated inputs and shifted histograms
    drifted, drifted_scores = har.int8(har.x[windows][::2] * 2.5)
    inputs, scores = np.concatenate([inputs, drifted]), np.concatenate([scores, drifted_scores])
    latencies = np.random.default_rng(0).integers(0, 2**20, len(inputs))
    write_monitor("har", har.ref.spec, tmp_path)
    c = run_host_monitor(tmp_path, "har", har.ref.spec, inputs, scores, key=KEY, device_id=77,
                         seq0=100, latencies=latencies, sanitize=True)
    py = python_periods(har, inputs, scores, latencies)
    assert len(c) == len(py) == -(-len(inputs) // har.ref.spec.period_windows)
    assert sum(p.windows for p in c) == len(inputs) > 1000
    for period, (full, tiny, welford, lat_min, lat_sum) in zip(c, py, strict=True):
        assert period.full == full and period.tiny == tiny
        assert [tuple(w) for w in period.welford] == welford
        assert (period.latency_min, period.latency_sum) == (lat_min, lat_sum)
        assert len(period.tiny) <= TINY_LIMIT
        assert len(period.full) <= har.ref.spec.max_record_bytes(FORM_FULL)
    record = verify_record(c[0].full, {77: KEY}.get, har.ref.spec)
    assert sum(record.class_counts) == record.windows == har.ref.spec.period_windows
    assert sum(sum(x == -128 or x == 127 for x in row) for row in drifted.tolist()) > 0
    assert sum(p.full != q.full for p, q in zip(c, c[1:], strict=False)) > 0


def test_extreme_windows_equal_python_under_sanitizers(shared_data: Path, tmp_path: Path) -> None:
    """Saturated inputs (Welford's largest steps), tied scores, a single-class-like output:
    the KWS spec (fast, no training) on its real golden windows and on extreme ones."""
    from tests.monitor.kws import kws_reference, kws_windows

    spec = kws_reference(shared_data).spec
    real, scores, _, _ = kws_windows(shared_data)
    n = spec.n_inputs
    extreme = np.stack([np.full(n, -128), np.full(n, 127), np.tile([-128, 127], n // 2),
                        np.arange(n) % 256 - 128, np.zeros(n)]).astype(np.int8)
    tied = np.stack([np.full(12, 5), np.full(12, -128), np.r_[[127, 127], np.zeros(10)],
                     np.r_[np.zeros(11), 127], np.arange(12) - 6]).astype(np.int8)
    inputs = np.concatenate([real, extreme, extreme[::-1], real])
    outputs = np.concatenate([scores, tied, tied, scores])
    latencies = np.array([0, 1, 2**32 - 1, 5, 2**31] * 4, np.uint32)
    write_monitor("kws", spec, tmp_path)
    c = run_host_monitor(tmp_path, "kws", spec, inputs, outputs, key=b"x", seq0=2**32 - 4,
                         latencies=latencies, sanitize=True)
    summary, seq = Summary(spec), 2**32 - 4
    expected = []
    for x, q, t in zip(inputs, outputs, latencies, strict=True):
        summary.observe(x, q, int(t))
        if summary.windows == spec.period_windows:
            expected.append((encode_record(summary, device_id=1, seq=seq, key=b"x"),
                             [(w.n, w.mean, w.m2) for w in summary.welford]))
            summary.reset()
            seq += 1
    assert [(p.full, [tuple(w) for w in p.welford]) for p in c] == expected
    assert len(c) == 4
