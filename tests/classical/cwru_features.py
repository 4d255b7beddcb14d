"""CWRU bearing (shared data) through the pipeline's spectral DSP block, for anomaly
detection: the normal recording split by segment (train | calibration | test, no window in two
parts), every fault recording as test only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.dsp.spectral import SpectralBlock, SpectralParams

LENGTH = 1024  # samples per window (85 ms at 12 kHz), no overlap


@dataclass(frozen=True)
class CwruSplit:
    train: np.ndarray        # normal windows only, first 60 % of the normal recording
    calibration: np.ndarray  # normal, next 20 %
    normal_test: np.ndarray  # normal, last 20 %
    faults: dict[str, np.ndarray]  # fault file stem -> all its windows


def _windows(path: Path) -> np.ndarray:
    from scipy.io import loadmat

    mat = loadmat(path)
    key = next(k for k in mat if k.endswith("_DE_time"))
    signal = np.asarray(mat[key], np.float32).ravel()
    n = len(signal) // LENGTH
    return signal[: n * LENGTH].reshape(n, LENGTH, 1)


def cwru_split(shared: Path) -> CwruSplit:
    root = shared / "datasets" / "cwru_bearing"
    normal = _windows(root / "Normal_0.mat")
    a, b = int(0.6 * len(normal)), int(0.8 * len(normal))
    block = SpectralBlock(SpectralParams()).fit(normal[:a], 12000.0)

    def feats(w: np.ndarray) -> np.ndarray:
        return np.asarray(block.transform(w), np.float32).reshape(len(w), -1)

    faults = {p.stem: feats(_windows(p)) for p in sorted(root.glob("*.mat"))
              if p.stem != "Normal_0"}
    return CwruSplit(feats(normal[:a]), feats(normal[a:b]), feats(normal[b:]), faults)
