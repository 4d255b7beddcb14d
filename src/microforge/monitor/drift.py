"""Drift of a decoded record against its model's reference (validation) distributions.

Per feature histogram: PSI and Jensen-Shannon divergence (base 2, in [0, 1]) and a chi-squared
goodness-of-fit p-value; on the predicted-class counts and the confidence histogram:
chi-squared p-values; confidence drift: the PSI of the confidence histogram and the change in
mean top-1 confidence (bin midpoints); per feature, the z-score of ln(the record's Welford
variance) against the reference periods' (added noise, gain); a label-free accuracy estimate: histogram-binning
calibration, each confidence bin's accuracy on the validation windows weighted by the record's
counts (sum_b n_b * acc_b / n). Alerts: a statistic past DriftThresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import special

from microforge.monitor.reference import MonitorReference
from microforge.monitor.telemetry import Record

EPS = 1e-4  # probability floor of empty bins (PSI, JS, chi-squared expectations)


@dataclass(frozen=True)
class DriftThresholds:
    alpha: float = 1e-3  # chi-squared p-value below which a test alerts (features: / count)
    min_psi: float = 0.25  # a feature or confidence alert also needs this PSI
    accuracy_drop: float = 0.15  # estimated accuracy this far below the reference alerts
    min_windows: int = 8  # fewer windows in a record: no alert
    variance_z: float = 6.0  # |z| of a feature's ln(variance) that alerts
    min_variance_ratio: float = 1.2  # ... when its variance also changed by this factor


@dataclass
class DriftReport:
    windows: int
    feature_psi: list[float] = field(default_factory=list)
    feature_js: list[float] = field(default_factory=list)
    feature_p: list[float] = field(default_factory=list)
    variance_z: list[float] = field(default_factory=list)
    class_chi2: float = 0.0
    class_p: float = 1.0
    confidence_psi: float = 0.0
    confidence_p: float = 1.0
    mean_confidence: float = 0.0
    reference_mean_confidence: float = 0.0
    estimated_accuracy: float = 0.0
    alerts: list[str] = field(default_factory=list)


def _p(probabilities) -> np.ndarray:
    p = np.maximum(np.asarray(probabilities, np.float64), EPS)
    return p / p.sum()


def psi(reference, counts) -> float:
    """Population stability index sum (q - p) ln(q / p), empty bins floored at EPS."""
    p, q = _p(reference), _p(np.asarray(counts, np.float64) / max(1, int(np.sum(counts))))
    return float(np.sum((q - p) * np.log(q / p)))


def jensen_shannon(reference, counts) -> float:
    """Jensen-Shannon divergence (bits): 0 same distribution, 1 disjoint."""
    p = np.asarray(reference, np.float64)
    q = np.asarray(counts, np.float64) / max(1, int(np.sum(counts)))
    m = (p + q) / 2
    def kl(a: np.ndarray) -> float:
        nz = a > 0
        return float(np.sum(a[nz] * np.log2(a[nz] / m[nz])))
    return (kl(p / p.sum()) + kl(q)) / 2 if q.sum() > 0 else 0.0


def chi2_p(reference, counts) -> tuple[float, float]:
    """(statistic, p-value) of counts against the reference probabilities."""
    counts = np.asarray(counts, np.float64)
    n = counts.sum()
    if n == 0:
        return 0.0, 1.0
    expected = _p(reference) * n
    # scipy.stats.chisquare's statistic and p-value (chi2.sf, k - 1 degrees of freedom),
    # without its per-call argument handling (10x the arithmetic; a server runs this per record)
    statistic = float(np.sum((counts - expected) ** 2 / expected))
    return statistic, float(special.chdtrc(len(counts) - 1, statistic))


def feature_drift(reference, counts) -> tuple[list[float], list[float], list[float]]:
    """psi, jensen_shannon and the chi2_p p-value of every row (a feature's histogram) at
    once: the same arithmetic as the one-row functions, vectorised (a server runs it per
    record)."""
    ref = np.asarray(reference, np.float64)
    c = np.asarray(counts, np.float64)
    if c.size == 0:
        return [], [], []
    n = c.sum(axis=1, keepdims=True)
    freq = c / np.maximum(n, 1)
    p = np.maximum(ref, EPS)
    p = p / p.sum(axis=1, keepdims=True)
    q = np.maximum(freq, EPS)
    q = q / q.sum(axis=1, keepdims=True)
    psi_rows = np.sum((q - p) * np.log(q / p), axis=1)
    m = (ref + freq) / 2
    def kl(a: np.ndarray) -> np.ndarray:
        nz = a > 0
        safe_m = np.where(nz, m, 1.0)
        return np.sum(np.where(nz, a * np.log2(np.where(nz, a, 1.0) / safe_m), 0.0), axis=1)
    js_rows = np.where(n[:, 0] > 0, (kl(ref / ref.sum(axis=1, keepdims=True)) + kl(freq)) / 2,
                       0.0)
    expected = p * n
    statistic = np.sum((c - expected) ** 2 / np.where(expected > 0, expected, 1.0), axis=1)
    p_rows = np.where(n[:, 0] > 0, special.chdtrc(c.shape[1] - 1, statistic), 1.0)
    return ([float(v) for v in psi_rows], [float(v) for v in js_rows],
            [float(v) for v in p_rows])


def midpoints(ref: MonitorReference) -> np.ndarray:
    """Probability midpoints of the confidence bins (edges 0 .. 1)."""
    edges = [0.0, *ref.confidence_probs, 1.0] if ref.confidence_probs else \
        list(np.linspace(0, 1, ref.spec.conf_bins + 1))
    return (np.asarray(edges[:-1]) + np.asarray(edges[1:])) / 2


def estimated_accuracy(ref: MonitorReference, conf_hist) -> float:
    """Label-free accuracy: sum_b n_b * acc_b / n (acc_b calibrated on validation windows)."""
    counts = np.asarray(conf_hist, np.float64)
    if counts.sum() == 0:
        return ref.accuracy
    return float(counts @ np.asarray(ref.calibration) / counts.sum())


def assess(record: Record, ref: MonitorReference,
           thresholds: DriftThresholds | None = None) -> DriftReport:
    """The drift statistics of one record (tiny records: no feature statistics)."""
    t = thresholds or DriftThresholds()
    report = DriftReport(windows=record.windows)
    if record.feature_hist:
        n = min(len(ref.feature_hist), len(record.feature_hist))
        report.feature_psi, report.feature_js, report.feature_p = feature_drift(
            ref.feature_hist[:n], record.feature_hist[:n])
    variances = [max(v / 16.0, 1.0 / 16) for _, v in (record.welford or ())]
    for var, mu, sd in zip(variances, ref.log_var_mean, ref.log_var_std, strict=False):
        report.variance_z.append(float((np.log(var) - mu) / max(sd, 1e-3)))
    report.class_chi2, report.class_p = chi2_p(ref.class_freq, record.class_counts)
    report.confidence_psi = psi(ref.conf_hist, record.conf_hist)
    report.confidence_p = chi2_p(ref.conf_hist, record.conf_hist)[1]
    mid = midpoints(ref)
    conf = np.asarray(record.conf_hist, np.float64)
    report.mean_confidence = float(conf @ mid / max(1.0, conf.sum()))
    report.reference_mean_confidence = float(np.asarray(ref.conf_hist) @ mid)
    report.estimated_accuracy = estimated_accuracy(ref, record.conf_hist)
    if record.windows < t.min_windows:
        return report
    n_features = max(1, len(report.feature_p))
    for i, (p, s) in enumerate(zip(report.feature_p, report.feature_psi, strict=True)):
        if p < t.alpha / n_features and s >= t.min_psi:
            report.alerts.append(f"feature {ref.spec.feature_groups[i]}")
    for i, z in enumerate(report.variance_z):
        if abs(z) > t.variance_z and abs(z * ref.log_var_std[i]) > np.log(t.min_variance_ratio):
            report.alerts.append(f"variance {ref.spec.feature_groups[i]}")
    if report.class_p < t.alpha:
        report.alerts.append("class mix")
    if report.confidence_p < t.alpha and report.confidence_psi >= t.min_psi:
        report.alerts.append("confidence")
    if report.estimated_accuracy < ref.accuracy - t.accuracy_drop:
        report.alerts.append("accuracy")
    return report
