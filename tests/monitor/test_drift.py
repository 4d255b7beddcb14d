"""Drift statistics on decoded records of real UCI HAR streams (the C monitor on the host,
its records verified and decoded, assessed against the validation reference).

Reference: the even-indexed windows of the 2 validation subjects; "no shift": periods of 32
windows drawn from their odd-indexed windows (adjacent HAR windows overlap by half: the same
population). Drift: the 2 held-out subjects, total-acceleration gain x1.3 and offset +0.2 g,
added Gaussian noise (sd 0.15 on every channel), a class mix of 70 % walking."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from scipy.spatial import distance

from microforge.monitor.drift import (
    assess,
    chi2_p,
    estimated_accuracy,
    feature_drift,
    jensen_shannon,
    psi,
)
from microforge.monitor.emit import write_monitor
from microforge.monitor.host import HostMonitor
from microforge.monitor.reference import MonitorReference, reference_from_windows
from microforge.monitor.telemetry import Record, verify_record
from tests.monitor.har import HELD_OUT, VAL, Har

KEY = b"drift test key, 32 bytes long..."
PERIODS = 100
DRIFT_PERIODS = 20
MAX_FALSE_ALARMS = 0.05
ACCURACY_MARGIN = 0.03  # |estimated - true| over all held-out periods
PERIOD_ACCURACY_MARGIN = 0.06  # mean |estimated - true| per period


def test_psi_js_chi2_against_references() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.4])
    assert psi(p, p * 1000) == pytest.approx(0.0, abs=1e-12)
    q = np.array([40, 30, 20, 10])
    expected = np.sum((q / 100 - p) * np.log((q / 100) / p))
    assert psi(p, q) == pytest.approx(expected, rel=1e-9)
    assert jensen_shannon(p, q) == pytest.approx(distance.jensenshannon(p, q / 100, base=2) ** 2,
                                                 rel=1e-9)
    assert jensen_shannon([1, 0], [0, 5]) == pytest.approx(1.0)
    assert chi2_p(p, p * 1000)[1] == pytest.approx(1.0)
    assert chi2_p(p, q)[1] < 1e-6
    rng = np.random.default_rng(1)
    for k in (2, 6, 12):
        ref, counts = rng.dirichlet(np.ones(k)), rng.integers(0, 40, k)
        expected = stats.chisquare(counts, ref / ref.sum() * counts.sum())
        assert chi2_p(ref, counts) == pytest.approx((expected.statistic, expected.pvalue),
                                                    rel=1e-9)
    refs = rng.dirichlet(np.ones(6), 9)
    refs[0, 2] = 0.0  # an empty reference bin
    counts = rng.integers(0, 30, (9, 6))
    counts[1] = 0  # an empty record histogram
    counts[2, :3] = 0
    rows = feature_drift(refs, counts)
    for i in range(9):
        assert rows[0][i] == pytest.approx(psi(refs[i], counts[i]), rel=1e-12, abs=1e-15)
        assert rows[1][i] == pytest.approx(jensen_shannon(refs[i], counts[i]), rel=1e-12,
                                           abs=1e-15)
        assert rows[2][i] == pytest.approx(chi2_p(refs[i], counts[i])[1], rel=1e-12)


class Streams:
    def __init__(self, har: Har) -> None:
        self.har = har
        self.spec = har.ref.spec
        val = np.flatnonzero(har.mask(VAL))
        self.ref_pool, self.pool = val[0::2], val[1::2]
        inputs, scores = har.int8(har.x[self.ref_pool])
        self.ref: MonitorReference = reference_from_windows(
            self.spec, inputs, scores, har.y[self.ref_pool], har.ref.confidence_probs)
        self._dir = tempfile.TemporaryDirectory(prefix="mf_drift_")
        write_monitor("har", self.spec, Path(self._dir.name))
        self.monitor = HostMonitor(Path(self._dir.name), "har", self.spec, device_id=5)
        self.rng = np.random.default_rng(0)

    def run(self, pool: np.ndarray, periods: int, transform=None, probs=None
            ) -> tuple[list[Record], np.ndarray]:
        """Decoded records of `periods` periods drawn from pool, and each period's accuracy."""
        idx = self.rng.choice(pool, size=periods * self.spec.period_windows, p=probs)
        x = self.har.x[idx] if transform is None else transform(self.har.x[idx])
        inputs, scores = self.har.int8(x)
        records = [verify_record(p.full, {5: KEY}.get, self.spec)
                   for p in self.monitor.run(inputs, scores, key=KEY)]
        correct = scores.argmax(axis=1) == self.har.y[idx]
        return records, correct.reshape(periods, -1).mean(axis=1)


@pytest.fixture(scope="module")
def streams(har: Har) -> Streams:
    return Streams(har)


@pytest.mark.slow
def test_no_shift_no_alert(streams: Streams) -> None:
    records, _ = streams.run(streams.pool, PERIODS)
    alerts = [bool(assess(r, streams.ref).alerts) for r in records]
    assert len(records) == PERIODS
    assert np.mean(alerts) <= MAX_FALSE_ALARMS


@pytest.mark.slow
def test_accuracy_estimate_on_held_out_subjects(streams: Streams) -> None:
    records, accuracy = streams.run(np.flatnonzero(streams.har.mask(HELD_OUT)), PERIODS)
    estimated = np.array([assess(r, streams.ref).estimated_accuracy for r in records])
    assert abs(estimated.mean() - accuracy.mean()) <= ACCURACY_MARGIN
    assert np.abs(estimated - accuracy).mean() <= PERIOD_ACCURACY_MARGIN
    # the estimate is the calibration table applied to the summed confidence histogram
    total = np.sum([r.conf_hist for r in records], axis=0)
    assert estimated_accuracy(streams.ref, total) == pytest.approx(estimated.mean())


def _gain(x: np.ndarray) -> np.ndarray:
    x = x.copy()
    x[..., 6:9] *= 1.3  # total_acc_x/y/z
    return x


def _offset(x: np.ndarray) -> np.ndarray:
    x = x.copy()
    x[..., 6:9] += 0.2  # g
    return x


def _noise(x: np.ndarray) -> np.ndarray:
    return x + np.random.default_rng(1).normal(0, 0.15, x.shape).astype(np.float32)


@pytest.mark.slow
@pytest.mark.parametrize("transform", [_gain, _offset, _noise], ids=["gain", "offset", "noise"])
def test_sensor_drift_alerts_in_the_first_period(streams: Streams, transform) -> None:
    records, _ = streams.run(streams.pool, DRIFT_PERIODS, transform)
    alerts = [bool(assess(r, streams.ref).alerts) for r in records]
    assert alerts[0]  # within the first 32 windows
    assert np.mean(alerts) >= 0.9


@pytest.mark.slow
def test_class_mix_shift_alerts_in_the_first_period(streams: Streams) -> None:
    y = streams.har.y[streams.pool]
    walking = y == 0
    probs = np.where(walking, 0.7 / walking.sum(), 0.3 / (~walking).sum())
    records, _ = streams.run(streams.pool, DRIFT_PERIODS, probs=probs)
    reports = [assess(r, streams.ref) for r in records]
    assert "class mix" in reports[0].alerts
    assert np.mean(["class mix" in r.alerts for r in reports]) >= 0.9


@pytest.mark.slow
def test_held_out_subjects_are_seen_as_drift(streams: Streams) -> None:
    records, _ = streams.run(np.flatnonzero(streams.har.mask(HELD_OUT)), DRIFT_PERIODS)
    assert np.mean([bool(assess(r, streams.ref).alerts) for r in records]) >= 0.9


@pytest.mark.slow
def test_combined_records_equal_one_long_period(streams: Streams) -> None:
    """Two periods' records combined == the summary of their windows in one period: counts and
    histograms exactly, Welford mean/variance within the records' fixed-point resolution."""
    from microforge.monitor.aggregate import combine
    from microforge.monitor.summary import Summary

    idx = streams.rng.choice(streams.pool, size=2 * streams.spec.period_windows)
    inputs, scores = streams.har.int8(streams.har.x[idx])
    records = [verify_record(p.full, {5: KEY}.get, streams.spec)
               for p in streams.monitor.run(inputs, scores, key=KEY)]
    cohort = combine(records)
    one = Summary(streams.spec)
    for x, q in zip(inputs, scores, strict=True):
        one.observe(x, q)
    assert cohort.windows == one.windows == 64
    assert list(cohort.class_counts) == one.class_counts
    assert list(cohort.conf_hist) == one.conf_hist
    assert list(cohort.margin_hist or ()) == one.margin_hist
    assert [list(h) for h in cohort.feature_hist or ()] == one.feature_hist
    assert (cohort.sat_low, cohort.sat_high) == (one.sat_low, one.sat_high)
    exact = one.welford_values()
    for (mean, var), m, v in zip(cohort.welford or (), exact[0::2], exact[1::2], strict=True):
        assert abs(mean - m) <= 2 and abs(var - v) <= max(2, 0.01 * v)
    assert assess(cohort, streams.ref).windows == 64
