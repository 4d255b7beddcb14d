"""Every supported estimator compiled to C decides as scikit-learn on every test window of
UCI HAR (spectral features, split by subject), on the host."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="scikit-learn not installed: pip install 'microforge[classical]'")

import microforge
from microforge.classical.host import CompiledEstimator
from microforge.classical.reference_data import har_features
from microforge.classical.reference_models import reference_classifiers


@pytest.fixture(scope="module")
def har(shared_data: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return har_features(shared_data)


ESTIMATORS = reference_classifiers()


@pytest.mark.parametrize("kind", list(ESTIMATORS))
def test_decisions_equal_sklearn(kind: str, har, tmp_path: Path) -> None:
    x_train, y_train, x_test, y_test = har
    est = ESTIMATORS[kind]().fit(x_train, y_train)
    model = microforge.compile(est, tmp_path / kind, name=kind)
    assert isinstance(model, CompiledEstimator)
    ours = model.predict(x_test)
    np.testing.assert_array_equal(ours, est.predict(x_test))
    np.testing.assert_array_equal(ours, est.predict(x_test.astype(np.float64)))
    assert np.mean(ours == y_test) > 0.6  # a real classifier, not a constant
    src = (tmp_path / kind / f"{kind}.c").read_text()
    assert "malloc" not in src


@pytest.mark.parametrize("kind", [k for k in ("gradient_boosting", "lightgbm", "logistic_regression",
                                  "linear_svm") if k in ESTIMATORS])
def test_binary_decisions_equal_sklearn(kind: str, har, tmp_path: Path) -> None:
    x_train, y_train, x_test, _ = har
    est = ESTIMATORS[kind]().fit(x_train, y_train >= 4)  # static vs moving
    model = microforge.compile(est, tmp_path, name="bin")
    assert model.emitted.n_scores == 1
    np.testing.assert_array_equal(model.predict(x_test), est.predict(x_test))


def test_scores_match_decision_function(har, tmp_path: Path) -> None:
    x_train, y_train, x_test, _ = har
    est = ESTIMATORS["logistic_regression"]().fit(x_train, y_train)
    model = microforge.compile(est, tmp_path, name="lr")
    # the C accumulates in double: equal to scikit-learn's float64 path to rounding (on
    # float32 input scikit-learn computes in float32, about 1e-5 apart)
    np.testing.assert_allclose(model.scores(x_test),
                               est.decision_function(x_test.astype(np.float64)),
                               rtol=1e-9, atol=1e-9)
