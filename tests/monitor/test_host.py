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
