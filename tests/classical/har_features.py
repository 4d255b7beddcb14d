"""UCI HAR (shared data) through the pipeline's spectral DSP block, split by subject."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microforge.dsp.spectral import SpectralBlock, SpectralParams

CHANNELS = ["body_acc_x", "body_acc_y", "body_acc_z", "body_gyro_x", "body_gyro_y",
            "body_gyro_z", "total_acc_x", "total_acc_y", "total_acc_z"]


def har_features(shared: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test): spectral features fitted on the first 6 of the 9
    test-split subjects, evaluated on the other 3."""
    root = shared / "datasets" / "uci_har_test"
    sig = root / "inertial_signals_test_csv"
    x = np.stack([np.loadtxt(sig / f"{c}_test.csv", delimiter=",", dtype=np.float32)
                  for c in CHANNELS], axis=-1)
    y = np.loadtxt(sig / "y_test.csv", dtype=np.int64).ravel()
    subjects = np.loadtxt(root / "original_metadata" / "subject_test.txt", dtype=np.int64)
    held = np.unique(subjects)[6:]
    test = np.isin(subjects, held)
    block = SpectralBlock(SpectralParams()).fit(x[~test], 50.0)
    feats = block.transform(x).reshape(len(x), -1)
    return feats[~test], y[~test], feats[test], y[test]
