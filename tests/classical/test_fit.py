"""Fitting on project features: the one-line errors for data scikit-learn cannot learn from,
and the detector threshold from held-out normal windows."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.classical.fit import (
    check_normal_labels,
    fit_classifier,
    fit_detector,
    flat_features,
)
from microforge.classical.params import AnomalyParams, ClassicalParams
from microforge.errors import DataError


def _blobs(n: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    x = rng.normal(size=(n, 4, 2)).astype(np.float32) + y[:, None, None] * 3
    return x, y


def test_features_are_flattened_to_float32_rows() -> None:
    x, _ = _blobs()
    rows = flat_features(x, "f")
    assert rows.shape == (60, 8) and rows.dtype == np.float32 and rows.flags.c_contiguous


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_infinite_features_are_a_data_error(bad: float) -> None:
    x, y = _blobs()
    x[7, 1, 1] = bad
    with pytest.raises(DataError, match="training split features: window 7 feature 3 is"):
        fit_classifier("gaussian_nb", ClassicalParams(), x, y, ["a", "b", "c"], 0)


def test_a_class_without_training_windows_is_named() -> None:
    x, y = _blobs()
    keep = y != 1
    with pytest.raises(DataError, match="class 'b' has no training windows"):
        fit_classifier("decision_tree", ClassicalParams(), x[keep], y[keep], ["a", "b", "c"], 0)


def test_the_classifier_learns_class_indices() -> None:
    x, y = _blobs()
    est = fit_classifier("random_forest", ClassicalParams(n_estimators=5), x, y,
                         ["a", "b", "c"], 0)
    assert est.classes_.tolist() == [0, 1, 2]
    assert (est.predict(flat_features(x, "x")) == y).mean() > 0.9


def test_the_detector_threshold_keeps_the_false_alarms_on_calibration_windows() -> None:
    rng = np.random.default_rng(1)
    normal = rng.normal(size=(200, 3)).astype(np.float32)
    calibration = rng.normal(size=(100, 3)).astype(np.float32)
    est, threshold = fit_detector("elliptic_envelope", AnomalyParams(false_alarm_rate=0.05),
                                  normal, calibration, 0)
    scores = -est.score_samples(calibration.astype(np.float64))
    assert (scores > threshold).mean() <= 0.05
    assert (scores > threshold).sum() == 5  # as many as allowed, none sits on the threshold
    assert not np.any(scores == threshold)


def test_no_calibration_windows_is_a_data_error() -> None:
    normal = np.random.default_rng(0).normal(size=(20, 3)).astype(np.float32)
    with pytest.raises(DataError, match="val_fraction"):
        fit_detector("kmeans", AnomalyParams(n_clusters=2), normal, normal[:0], 0)


def test_more_clusters_than_windows_is_a_data_error() -> None:
    normal = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    with pytest.raises(DataError, match="anomaly.n_clusters: 8 clusters for 5"):
        fit_detector("kmeans", AnomalyParams(), normal, normal, 0)


def test_normal_labels_must_exist_and_leave_a_fault() -> None:
    with pytest.raises(DataError, match="'ok' is not a label of the dataset; its labels are "
                                        "a, b"):
        check_normal_labels(["a", "b"], ["a", "ok"])
    with pytest.raises(DataError, match="every label of the dataset is normal"):
        check_normal_labels(["a", "b"], ["a", "b"])
    check_normal_labels(["a", "b"], ["a"])
