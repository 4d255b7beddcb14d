"""A compiled anomaly detector on the host, and its threshold calibrated on held-out normal
windows for a target false-alarm rate."""

from __future__ import annotations

import ctypes
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from microforge.classical.detector_emit import EmittedDetector, emit_detector
from microforge.classical.detectors import detector_of, supported_detectors
from microforge.classical.host import check_features
from microforge.errors import ConfigError, DataError, ModelError
from microforge.runners.host import gcc_compile


def calibrate_threshold(normal_scores: np.ndarray, false_alarm_rate: float) -> float:
    """A threshold with at most `false_alarm_rate` of these held-out normal scores above it
    (anomaly = score > threshold), placed between two calibration scores (just above the
    largest, by 1e-4 relative, when none may be above) so that no calibration window sits on
    it: the C and scikit-learn then decide those windows alike despite rounding."""
    if not 0.0 <= false_alarm_rate < 1.0:
        raise ConfigError(f"false_alarm_rate {false_alarm_rate} is not in [0, 1); use e.g. 0.01")
    s = np.sort(np.asarray(normal_scores, np.float64))
    if s.size == 0 or not np.all(np.isfinite(s)):
        raise DataError("calibration: no (or non-finite) normal scores; give held-out normal "
                        "windows with finite features")
    allowed = int(np.floor(false_alarm_rate * s.size))
    k = s.size - 1 - allowed
    if allowed == 0:
        return float(s[k] + 1e-4 * max(1.0, abs(float(s[k]))))
    return float(0.5 * (s[k] + s[k + 1]))


class CompiledDetector:
    """score(X) -> anomaly scores (higher = more anomalous), is_anomaly(X) -> bool."""

    def __init__(self, emitted: EmittedDetector, extra_flags: list[str] | None = None) -> None:
        self.emitted = emitted
        lib = emitted.out_dir / f"lib{emitted.name}.so"
        gcc_compile(emitted.out_dir, lib, ["-O2", "-shared", "-fPIC", *(extra_flags or [])])
        self._lib = ctypes.CDLL(str(lib))
        fp = ctypes.POINTER(ctypes.c_float)
        self._score = getattr(self._lib, f"mf_{emitted.name}_score")
        self._score.argtypes, self._score.restype = [fp], ctypes.c_double
        self._flag = getattr(self._lib, f"mf_{emitted.name}_is_anomaly")
        self._flag.argtypes, self._flag.restype = [fp], ctypes.c_int

    @property
    def out_dir(self) -> Path:
        return self.emitted.out_dir

    @property
    def threshold(self) -> float:
        return self.emitted.threshold

    def score(self, x: np.ndarray) -> np.ndarray:
        rows = check_features(x, self.emitted.n_features)
        fp = ctypes.POINTER(ctypes.c_float)
        return np.array([self._score(r.ctypes.data_as(fp)) for r in rows], np.float64)

    def is_anomaly(self, x: np.ndarray) -> np.ndarray:
        rows = check_features(x, self.emitted.n_features)
        fp = ctypes.POINTER(ctypes.c_float)
        return np.array([self._flag(r.ctypes.data_as(fp)) for r in rows], bool)


def compile_detector(estimator: Any, out_dir: str | os.PathLike[str] | None = None,
                     name: str = "detector", *, calibration: np.ndarray | None = None,
                     false_alarm_rate: float = 0.01,
                     threshold: float | None = None) -> CompiledDetector:
    """Compile a fitted detector; the threshold is `threshold`, or calibrated from the
    scikit-learn scores of `calibration` (held-out normal windows) at `false_alarm_rate`.
    An int8 autoencoder (train/autoencoder.py) goes to classical.autoencoder."""
    from microforge.classical.autoencoder import compile_autoencoder, is_autoencoder

    if is_autoencoder(estimator):
        return compile_autoencoder(estimator.tflite, estimator.mean, estimator.inv_std,
                                   out_dir, name, calibration=calibration,
                                   false_alarm_rate=false_alarm_rate, threshold=threshold)
    det = detector_of(estimator)
    if det is None:
        raise ModelError(f"unsupported detector {type(estimator).__name__}; supported: "
                         + ", ".join(supported_detectors()))
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name or ""):
        raise ConfigError(f"detector name {name!r} is not a C identifier; use letters, digits, _")
    n = int(getattr(estimator, "n_features_in_", 0))
    if n <= 0:
        raise ModelError(f"{det.sklearn_class} is not fitted; call fit() before compiling it")
    tables = det.tables(estimator)
    if threshold is None:
        if calibration is None:
            raise ConfigError("compile_detector: give threshold= or calibration= (held-out "
                              "normal windows) to set the anomaly threshold")
        cal = check_features(calibration, n, "calibration")
        threshold = calibrate_threshold(det.reference(estimator, cal), false_alarm_rate)
    target = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix="mf_ad_"))
    return CompiledDetector(emit_detector(tables, name, target, n, float(threshold), det.name))
