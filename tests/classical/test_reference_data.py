"""The reference data sets of the classical tests and benches: UCI HAR split by subject and
CWRU split by recording segment, as finite spectral features (shared data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("scipy", reason="scipy is needed to read the CWRU .mat files")

from microforge.classical.reference_data import cwru_split, har_features


def test_har_split_by_subject(shared_data: Path) -> None:
    x_train, y_train, x_test, y_test = har_features(shared_data)
    assert len(x_test) == len(y_test) == 1099  # the 3 held-out subjects' windows
    assert len(x_train) == len(y_train) == 2947 - 1099
    assert x_train.shape[1] == x_test.shape[1] and x_train.dtype == np.float32
    assert np.isfinite(x_train).all() and np.isfinite(x_test).all()
    assert set(np.unique(y_train)) == set(np.unique(y_test)) == set(range(1, 7))


def test_cwru_normal_split_by_segment(shared_data: Path) -> None:
    split = cwru_split(shared_data)
    assert (len(split.train), len(split.calibration), len(split.normal_test)) == (142, 48, 48)
    assert len(split.faults) == 9 and "Normal_0" not in split.faults
    assert sum(len(v) for v in split.faults.values()) == 1067
    normal = np.concatenate([split.train, split.calibration, split.normal_test])
    assert len(np.unique(normal, axis=0)) == len(normal)  # no window in two parts
