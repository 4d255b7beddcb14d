"""Bad input to the classical compiler: one-line errors, nothing written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="scikit-learn not installed: pip install 'microforge[classical]'")
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

import microforge
from microforge.errors import DataError, ModelError

X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1]], np.float32)
Y = np.array([0, 1, 0, 1])


def test_unsupported_estimator_names_it_and_the_supported(tmp_path: Path) -> None:
    est = SVC().fit(X, Y)
    with pytest.raises(ModelError) as err:
        microforge.compile(est, tmp_path / "out")
    msg = str(err.value)
    assert "\n" not in msg
    assert "SVC" in msg and "RandomForestClassifier" in msg
    assert not (tmp_path / "out").exists()


def test_unfitted_estimator(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not fitted"):
        microforge.compile(DecisionTreeClassifier(), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_nan_features_rejected(tmp_path: Path) -> None:
    model = microforge.compile(DecisionTreeClassifier().fit(X, Y), tmp_path, name="t")
    bad = X.copy()
    bad[2, 1] = np.nan
    with pytest.raises(DataError, match="row 2 feature 1 is nan"):
        model.predict(bad)
    with pytest.raises(DataError, match="expected rows of 2 features"):
        model.predict(np.zeros((3, 5), np.float32))
