"""The monitor of a trained model: its spec (edges at the training quantiles) and the
reference distributions of its validation windows, which a server compares records with.

    ref = fit_reference(train_inputs, val_inputs, val_scores, val_labels, groups, quant,
                        model_bytes, section)        # int8 inputs/scores, as the device sees
    ref.save(path); MonitorReference.load(path)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from microforge.atomic import atomic_write_json
from microforge.config import MonitorSection
from microforge.errors import ConfigError, DataError
from microforge.monitor.spec import (
    MonitorSpec,
    confidence_edges,
    group_sums,
    margin_edges,
    quantile_edges,
)
from microforge.monitor.summary import Summary
from microforge.postprocess.params import ScoreQuant

CALIBRATION_PRIOR = 2.0  # pseudo-windows pulling an empty or small bin to the overall accuracy


@dataclass(frozen=True)
class MonitorReference:
    spec: MonitorSpec
    class_freq: tuple[float, ...]  # predicted-class frequencies on the reference windows
    conf_hist: tuple[float, ...]
    margin_hist: tuple[float, ...]
    feature_hist: tuple[tuple[float, ...], ...]
    calibration: tuple[float, ...]  # accuracy per confidence bin (histogram binning)
    accuracy: float  # top-1 accuracy on the reference windows
    windows: int
    confidence_probs: tuple[float, ...] = ()
    margin_probs: tuple[float, ...] = ()
    source: str = "validation"  # which windows the distributions come from
    # per feature: mean and std of ln(variance of its inputs over a period), over periods of
    # period_windows windows drawn from the reference windows (seeded bootstrap)
    log_var_mean: tuple[float, ...] = ()
    log_var_std: tuple[float, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"spec": self.spec.to_json(), "class_freq": self.class_freq,
                "conf_hist": self.conf_hist, "margin_hist": self.margin_hist,
                "feature_hist": self.feature_hist, "calibration": self.calibration,
                "accuracy": self.accuracy, "windows": self.windows,
                "confidence_probs": self.confidence_probs, "margin_probs": self.margin_probs,
                "source": self.source, "log_var_mean": self.log_var_mean,
                "log_var_std": self.log_var_std}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MonitorReference:
        try:
            return cls(MonitorSpec.from_json(data["spec"]), _floats(data["class_freq"]),
                       _floats(data["conf_hist"]), _floats(data["margin_hist"]),
                       tuple(_floats(h) for h in data["feature_hist"]),
                       _floats(data["calibration"]), float(data["accuracy"]),
                       int(data["windows"]), _floats(data.get("confidence_probs", ())),
                       _floats(data.get("margin_probs", ())), str(data.get("source", "")),
                       _floats(data.get("log_var_mean", ())),
                       _floats(data.get("log_var_std", ())))
        except (KeyError, TypeError, ValueError) as e:
            raise ConfigError(f"monitor reference: bad or missing field ({e}); compile the "
                              "project again") from None

    def save(self, path: Path) -> None:
        atomic_write_json(Path(path), self.to_json())

    @classmethod
    def load(cls, path: Path) -> MonitorReference:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ConfigError(f"{path}: cannot read the monitor reference ({e})") from None
        return cls.from_json(data)


def _floats(values) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def model_id(model_bytes: bytes) -> int:
    """uint32: the first 4 bytes of the int8 model's SHA-256, big-endian."""
    return int.from_bytes(hashlib.sha256(model_bytes).digest()[:4], "big")


def choose_groups(train_sums: np.ndarray, max_features: int) -> tuple[int, ...]:
    """All groups when they are few enough, else the `max_features` with the widest spread of
    their training sums (interquartile range, then variance), in group order."""
    n = train_sums.shape[1]
    if n <= max_features:
        return tuple(range(n))
    q1, q3 = np.quantile(train_sums, [0.25, 0.75], axis=0)
    order = np.lexsort((-train_sums.var(axis=0), -(q3 - q1)))
    return tuple(sorted(int(g) for g in order[:max_features]))


def fit_reference(train_inputs: np.ndarray, val_inputs: np.ndarray, val_scores: np.ndarray,
                  val_labels: np.ndarray, n_groups: int, output_quant: ScoreQuant,
                  model_bytes: bytes, section: MonitorSection,
                  source: str = "validation") -> MonitorReference:
    """Spec from the training windows' int8 inputs, distributions from the reference windows'."""
    train_inputs = np.asarray(train_inputs, np.int8).reshape(len(train_inputs), -1)
    val_inputs = np.asarray(val_inputs, np.int8).reshape(len(val_inputs), -1)
    val_scores = np.asarray(val_scores, np.int8).reshape(len(val_scores), -1)
    if len(train_inputs) < section.feature_bins or len(val_inputs) == 0:
        raise DataError(f"monitor: {len(train_inputs)} training and {len(val_inputs)} "
                        f"reference windows; need >= {section.feature_bins} and >= 1")
    for name, edges in (("confidence_edges", section.confidence_edges),
                        ("margin_edges", section.margin_edges)):
        if not edges or sorted(edges) != list(edges) or not 0 < edges[0] <= edges[-1] <= 1:
            raise ConfigError(f"monitor.{name} must be ascending probabilities in (0, 1]")
    train_sums = group_sums(train_inputs, n_groups)
    groups = choose_groups(train_sums, section.max_features)
    spec = MonitorSpec(
        n_inputs=int(train_inputs.shape[1]), n_groups=n_groups, feature_groups=groups,
        feature_edges=tuple(quantile_edges(train_sums[:, g], section.feature_bins)
                            for g in groups),
        n_classes=int(val_scores.shape[1]),
        conf_edges=confidence_edges(section.confidence_edges, output_quant),
        margin_edges=margin_edges(section.margin_edges, output_quant),
        model_id=model_id(model_bytes), model_version=section.model_version,
        period_windows=section.period_windows)
    spec.check_tiny()
    return reference_from_windows(spec, val_inputs, val_scores, val_labels,
                                  tuple(section.confidence_edges), tuple(section.margin_edges),
                                  source)


def reference_from_windows(spec: MonitorSpec, inputs: np.ndarray, scores: np.ndarray,
                           labels: np.ndarray, confidence_probs: tuple[float, ...] = (),
                           margin_probs: tuple[float, ...] = (),
                           source: str = "validation") -> MonitorReference:
    """The reference distributions and the confidence calibration of labelled windows."""
    scores = np.asarray(scores, np.int8).reshape(len(scores), -1)
    labels = np.asarray(labels, np.int64)
    top = scores.argmax(axis=1)
    q1 = scores.max(axis=1).astype(np.int64)
    conf_bin = np.searchsorted(spec.conf_edges, q1, side="right")
    second = np.sort(scores.astype(np.int64), axis=1)[:, -2] if spec.n_classes > 1 else q1
    margin_bin = np.searchsorted(spec.margin_edges, q1 - second, side="right")
    sums = group_sums(inputs, spec.n_groups)
    feature = [np.bincount(np.searchsorted(e, sums[:, g], side="right"),
                           minlength=spec.feature_bins)
               for g, e in zip(spec.feature_groups, spec.feature_edges, strict=True)]
    correct = top == labels
    accuracy = float(correct.mean())
    calibration = []
    for b in range(spec.conf_bins):
        in_bin = conf_bin == b
        calibration.append(float((correct[in_bin].sum() + CALIBRATION_PRIOR * accuracy)
                                 / (in_bin.sum() + CALIBRATION_PRIOR)))
    n = len(scores)
    log_mean, log_std = period_log_variance(spec, inputs)
    return MonitorReference(
        spec, _freq(np.bincount(top, minlength=spec.n_classes), n),
        _freq(np.bincount(conf_bin, minlength=spec.conf_bins), n),
        _freq(np.bincount(margin_bin, minlength=spec.margin_bins), n),
        tuple(_freq(h, n) for h in feature), tuple(calibration), accuracy, n,
        tuple(confidence_probs), tuple(margin_probs), source, log_mean, log_std)


BOOTSTRAP_PERIODS = 400


def period_log_variance(spec: MonitorSpec, inputs: np.ndarray,
                        seed: int = 0) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Mean and std of ln(the period variance of each feature's inputs) over bootstrap periods."""
    x = np.asarray(inputs, np.float64).reshape(len(inputs), -1, spec.n_groups)
    x = x[:, :, list(spec.feature_groups)]
    sums, squares = x.sum(axis=1), (x * x).sum(axis=1)  # (windows, features)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(x), (BOOTSTRAP_PERIODS, spec.period_windows))
    count = spec.period_windows * x.shape[1]
    mean = sums[pick].sum(axis=1) / count
    var = np.maximum(squares[pick].sum(axis=1) / count - mean * mean, 1.0 / 16)
    logs = np.log(var)
    return tuple(float(v) for v in logs.mean(axis=0)), tuple(float(v) for v in logs.std(axis=0))


def _freq(counts: np.ndarray, n: int) -> tuple[float, ...]:
    return tuple(float(c) / n for c in counts)


def summarize(spec: MonitorSpec, inputs: np.ndarray, scores: np.ndarray) -> Summary:
    """A Summary of these windows (one period, however many windows)."""
    s = Summary(spec)
    for x, q in zip(inputs, scores, strict=True):
        s.observe(x, q)
    return s
