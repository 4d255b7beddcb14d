"""How well a detector separates normal from fault windows: ROC AUC over its scores, the false
alarms and detections at its calibrated threshold, and the detection rate per fault label."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class AnomalyMetrics:
    detector: str
    threshold: float
    target_false_alarm_rate: float
    roc_auc: float | None             # None: the test split lacks normal or fault windows
    false_alarm_rate: float | None    # on the normal test windows
    detection_rate: float | None      # on the fault test windows
    n_normal: int
    n_faults: int
    per_fault: list[tuple[str, int, float]] = field(default_factory=list)  # label, n, rate
    # threshold-free: the detection with at most the target share of the normal *test*
    # windows above the threshold (the best a threshold could do on this test set)
    detection_at_target: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"detector": self.detector, "threshold": self.threshold,
                "target_false_alarm_rate": self.target_false_alarm_rate,
                "roc_auc": self.roc_auc, "false_alarm_rate": self.false_alarm_rate,
                "detection_rate": self.detection_rate, "normal_windows": self.n_normal,
                "fault_windows": self.n_faults,
                "detection_at_target_rate": self.detection_at_target,
                "per_fault": [{"label": name, "windows": n, "detection_rate": rate}
                              for name, n, rate in self.per_fault]}

    def lines(self) -> list[str]:
        def pct(v: float | None) -> str:
            return "-" if v is None else f"{100 * v:.1f} %"

        auc = "-" if self.roc_auc is None else f"{self.roc_auc:.4f}"
        target = f"{100 * self.target_false_alarm_rate:g} %"
        out = [f"{self.detector}: ROC AUC {auc}; at the threshold {self.threshold:.6g} "
               f"(target {target} false alarms): false alarms "
               f"{pct(self.false_alarm_rate)} of {self.n_normal} normal windows, detection "
               f"{pct(self.detection_rate)} of {self.n_faults} fault windows; at {target} "
               f"false alarms on the test windows: detection {pct(self.detection_at_target)}"]
        out += [f"  {name}: {pct(rate)} of {n} windows detected"
                for name, n, rate in self.per_fault]
        return out


def anomaly_metrics(detector: str, scores: np.ndarray, threshold: float,
                    target_rate: float, y: np.ndarray, normal: np.ndarray,
                    classes: list[str]) -> AnomalyMetrics:
    """`scores` of the test windows, `y` their class indices, `normal` their normal flags."""
    from sklearn.metrics import roc_auc_score

    scores, y, normal = np.asarray(scores), np.asarray(y), np.asarray(normal, bool)
    flags = scores > threshold
    n_normal, n_faults = int(normal.sum()), int((~normal).sum())
    auc = (float(roc_auc_score(~normal, scores)) if n_normal and n_faults else None)
    per_fault = [(classes[c], int((y == c).sum()), float(flags[y == c].mean()))
                 for c in np.unique(y[~normal]).tolist()]
    at_target = None
    if n_normal and n_faults:
        s = np.sort(scores[normal])
        t = s[n_normal - 1 - int(np.floor(target_rate * n_normal))]
        at_target = float((scores[~normal] > t).mean())
    return AnomalyMetrics(
        detector, float(threshold), float(target_rate), auc,
        float(flags[normal].mean()) if n_normal else None,
        float(flags[~normal].mean()) if n_faults else None, n_normal, n_faults, per_fault,
        at_target)
