"""ROC AUC, false alarms and detection at the threshold, per fault label."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.classical.anomaly_metrics import anomaly_metrics


def test_figures_at_the_threshold_and_per_fault() -> None:
    classes = ["ok", "f1", "f2"]
    y = np.array([0, 0, 0, 0, 1, 1, 2, 2])
    scores = np.array([0.1, 0.2, 0.3, 0.9, 0.8, 0.95, 0.25, 0.7])
    m = anomaly_metrics("kmeans", scores, 0.5, 0.01, y, y == 0, classes)
    assert m.false_alarm_rate == pytest.approx(0.25) and m.n_normal == 4 and m.n_faults == 4
    assert m.detection_rate == pytest.approx(0.75)
    assert m.per_fault == [("f1", 2, 1.0), ("f2", 2, 0.5)]
    # pairs (fault, normal) ranked right: f1 beats all but 0.9 once (0.8 < 0.9), f2 0.25 beats
    # 2 of 4 and 0.7 beats 3 of 4: (4 + 3 + 2 + 3) / 16
    assert m.roc_auc == pytest.approx(12 / 16)
    # 1 % of 4 normal windows: none above the threshold, i.e. above 0.9: only 0.95 of 4 faults
    assert m.detection_at_target == pytest.approx(0.25)
    wide = anomaly_metrics("kmeans", scores, 0.5, 0.25, y, y == 0, classes)
    assert wide.detection_at_target == pytest.approx(0.75)  # one normal above: > 0.3
    d = m.to_dict()
    assert d["per_fault"][1] == {"label": "f2", "windows": 2, "detection_rate": 0.5}
    assert "ROC AUC 0.7500" in m.lines()[0] and "f2: 50.0 % of 2 windows" in m.lines()[2]


def test_without_faults_there_is_no_auc() -> None:
    y = np.zeros(3, np.int64)
    m = anomaly_metrics("kmeans", np.array([0.1, 0.2, 0.9]), 0.5, 0.01, y, y == 0, ["ok", "f"])
    assert m.roc_auc is None and m.detection_rate is None and m.false_alarm_rate == 1 / 3
    assert m.detection_at_target is None
