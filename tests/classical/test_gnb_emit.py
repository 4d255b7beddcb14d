"""Gaussian naive Bayes in C: the certified float32 pass and the double pass alone
(MF_<NAME>_EXACT_ONLY) decide as scikit-learn on every HAR window, and alike on rows
straddling the double pass's decision boundaries (where the float pass must hand over; there
scikit-learn's own float32 and float64 paths disagree with each other); the double scores
equal scikit-learn's joint log-likelihood to 1e-5 (its float32 normalising constant)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="scikit-learn not installed: pip install 'microforge[classical]'")

import microforge
from microforge.classical.host import CompiledEstimator
from microforge.classical.reference_data import har_features
from microforge.classical.reference_models import reference_classifiers
from tests.classical.boundary import boundary_rows


def test_float_pass_and_double_pass_decide_as_sklearn(shared_data: Path,
                                                      tmp_path: Path) -> None:
    x_train, y_train, x_test, _ = har_features(shared_data)
    est = reference_classifiers()["gaussian_nb"]().fit(x_train, y_train)
    fast = microforge.compile(est, tmp_path / "fast", name="nb")
    exact = microforge.compile(est, tmp_path / "exact", name="nb")
    exact = CompiledEstimator(exact.emitted, exact.classes_, ["-DMF_NB_EXACT_ONLY"])
    x = np.concatenate([x_test, x_train])
    np.testing.assert_array_equal(fast.predict(x), est.predict(x))
    np.testing.assert_array_equal(exact.predict(x), est.predict(x))
    edge = boundary_rows(exact.predict, x_test, pairs=40)
    assert len(edge) == 80
    np.testing.assert_array_equal(fast.predict(edge), exact.predict(edge))
    jll = est.predict_joint_log_proba(x.astype(np.float64))
    # fitted on float32, var_ is float32 and scikit-learn sums log(2 pi var_) in float32:
    # its constant is 3.1e-6 off the double one
    np.testing.assert_allclose(fast.scores(x), jll, rtol=1e-9, atol=1e-5)
