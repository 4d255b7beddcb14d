"""Fit a classical model or an anomaly detector on a project's DSP features (flattened per
window, float32), with the one-line errors for data scikit-learn cannot learn from."""

from __future__ import annotations

from typing import Any

import numpy as np

from microforge.classical.detector_host import calibrate_threshold
from microforge.classical.detectors import detector_of
from microforge.classical.params import (
    AnomalyParams,
    ClassicalParams,
    make_classifier,
    make_detector,
)
from microforge.errors import DataError


def flat_features(x: np.ndarray, where: str) -> np.ndarray:
    """(n, ...) features -> (n, n_features) float32; NaN or infinite values are a DataError
    naming the window and feature."""
    arr = np.asarray(x, np.float32)
    rows = np.ascontiguousarray(arr.reshape(len(arr), int(np.prod(arr.shape[1:]))))
    bad = ~np.isfinite(rows)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise DataError(f"{where}: window {row} feature {col} is {rows[row, col]}; the DSP "
                        f"features hold NaN or infinite values (check the recordings for NaN "
                        f"samples or [dsp] parameters that divide by zero)")
    return rows


def fit_classifier(kind: str, params: ClassicalParams, x: np.ndarray, y: np.ndarray,
                   classes: list[str], seed: int, where: str = "training split") -> Any:
    """A fitted classifier over class indices 0..len(classes)-1; every class must have training
    windows (the C returns an index into `classes`)."""
    rows = flat_features(x, f"{where} features")
    counts = np.bincount(np.asarray(y, np.int64), minlength=len(classes))
    missing = [classes[i] for i in range(len(classes)) if counts[i] == 0]
    if missing:
        raise DataError(f"{where}: class {', '.join(repr(m) for m in missing)} has no training "
                        f"windows; add recordings of it, move one of its groups out of the "
                        f"test split ([split]) or drop it ([dataset] label_map)")
    import warnings

    estimator = make_classifier(kind, params, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: max_iter is the user's choice
        estimator.fit(rows, np.asarray(y, np.int64))
    return estimator


def normal_mask(y: np.ndarray, classes: list[str], normal_labels: list[str]) -> np.ndarray:
    index = [classes.index(label) for label in normal_labels]
    return np.isin(np.asarray(y), index)


def check_normal_labels(classes: list[str], normal_labels: list[str]) -> None:
    unknown = [label for label in normal_labels if label not in classes]
    if unknown:
        raise DataError(f"anomaly.normal_labels: {', '.join(repr(u) for u in unknown)} is not "
                        f"a label of the dataset; its labels are {', '.join(classes)}")
    if len(set(normal_labels)) == len(classes):
        raise DataError("anomaly.normal_labels: every label of the dataset is normal; leave "
                        "at least one fault label out to test the detector on")


def fit_detector(name: str, params: AnomalyParams, x_normal: np.ndarray,
                 x_calibration: np.ndarray, seed: int) -> tuple[Any, float]:
    """(fitted detector, threshold): fitted on normal training windows, the threshold set on
    held-out normal windows for params.false_alarm_rate."""
    rows = flat_features(x_normal, "normal training features")
    if len(rows) < 2:
        raise DataError(f"anomaly: {len(rows)} normal training window(s); the detector needs "
                        "at least 2 (more normal recordings, or a larger training split)")
    cal = flat_features(x_calibration, "normal validation features")
    if len(cal) == 0:
        raise DataError("anomaly: no normal windows in the validation split to set the "
                        "threshold on; set [split] val_fraction > 0 (or val_groups)")
    estimator = make_detector(name, params, seed)
    if name == "kmeans" and params.n_clusters > len(rows):
        raise DataError(f"anomaly.n_clusters: {params.n_clusters} clusters for "
                        f"{len(rows)} normal training windows; use fewer clusters")
    if name == "gaussian_mixture" and params.n_components > len(rows):
        raise DataError(f"anomaly.n_components: {params.n_components} components for "
                        f"{len(rows)} normal training windows; use fewer components")
    estimator.fit(rows)
    det = detector_of(estimator)
    assert det is not None
    threshold = calibrate_threshold(det.reference(estimator, cal), params.false_alarm_rate)
    return estimator, threshold


def detector_scores(estimator: Any, x: np.ndarray) -> np.ndarray:
    """scikit-learn's anomaly scores (higher = more anomalous), as the C computes them (an
    autoencoder's: its reconstruction error, with TFLM running the int8 model)."""
    from microforge.classical.autoencoder import autoencoder_scores, is_autoencoder

    if is_autoencoder(estimator):
        return autoencoder_scores(estimator, flat_features(x, "features"))
    det = detector_of(estimator)
    assert det is not None
    return det.reference(estimator, flat_features(x, "features"))
