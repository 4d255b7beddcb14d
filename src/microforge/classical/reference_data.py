"""The real data sets the classical models are tested and benchmarked on (shared data), as
features of the pipeline's spectral DSP block: UCI HAR split by subject (classifiers) and CWRU
bearing split by recording segment (anomaly detectors, trained on normal data only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.dsp.spectral import SpectralBlock, SpectralParams

HAR_CHANNELS = ["body_acc_x", "body_acc_y", "body_acc_z", "body_gyro_x", "body_gyro_y",
                "body_gyro_z", "total_acc_x", "total_acc_y", "total_acc_z"]
CWRU_LENGTH = 1024  # samples per window (85 ms at 12 kHz), no overlap


def har_features(shared: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test): spectral features fitted on the first 6 of the 9
    test-split subjects of UCI HAR, evaluated on the other 3."""
    root = shared / "datasets" / "uci_har_test"
    sig = root / "inertial_signals_test_csv"
    x = np.stack([np.loadtxt(sig / f"{c}_test.csv", delimiter=",", dtype=np.float32)
                  for c in HAR_CHANNELS], axis=-1)
    y = np.loadtxt(sig / "y_test.csv", dtype=np.int64).ravel()
    subjects = np.loadtxt(root / "original_metadata" / "subject_test.txt", dtype=np.int64)
    held = np.unique(subjects)[6:]
    test = np.isin(subjects, held)
    block = SpectralBlock(SpectralParams()).fit(x[~test], 50.0)
    feats = block.transform(x).reshape(len(x), -1)
    return feats[~test], y[~test], feats[test], y[test]


@dataclass(frozen=True)
class CwruSplit:
    train: np.ndarray        # normal windows only, first 60 % of the normal recording
    calibration: np.ndarray  # normal, next 20 %
    normal_test: np.ndarray  # normal, last 20 %
    faults: dict[str, np.ndarray]  # fault file stem -> all its windows


def _cwru_windows(path: Path) -> np.ndarray:
    from scipy.io import loadmat

    mat = loadmat(path)
    key = next(k for k in mat if k.endswith("_DE_time"))
    signal = np.asarray(mat[key], np.float32).ravel()
    n = len(signal) // CWRU_LENGTH
    return signal[: n * CWRU_LENGTH].reshape(n, CWRU_LENGTH, 1)


def cwru_split(shared: Path) -> CwruSplit:
    """CWRU 12 kHz drive end: the normal recording split by segment (train | calibration |
    test, no window in two parts), every fault recording as test only."""
    root = shared / "datasets" / "cwru_bearing"
    normal = _cwru_windows(root / "Normal_0.mat")
    a, b = int(0.6 * len(normal)), int(0.8 * len(normal))
    block = SpectralBlock(SpectralParams()).fit(normal[:a], 12000.0)

    def feats(w: np.ndarray) -> np.ndarray:
        return np.asarray(block.transform(w), np.float32).reshape(len(w), -1)

    faults = {p.stem: feats(_cwru_windows(p)) for p in sorted(root.glob("*.mat"))
              if p.stem != "Normal_0"}
    return CwruSplit(feats(normal[:a]), feats(normal[a:b]), feats(normal[b:]), faults)
