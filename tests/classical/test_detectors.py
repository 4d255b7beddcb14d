"""Anomaly detectors compiled to C, on CWRU (shared data): trained on the first 60 % of the
normal recording only, threshold calibrated on the next 20 % at 1 % false alarms, tested on
the last 20 % of normal and every window of the nine fault recordings. The C scores equal
scikit-learn's within the stated tolerance and the C flags equal the flags of scikit-learn's
scores at the same threshold on every test window."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

import microforge
from microforge.classical.detector_host import CompiledDetector
from microforge.classical.detectors import DETECTORS
from microforge.classical.reference_data import CwruSplit, cwru_split
from microforge.classical.reference_models import reference_detectors

# relative to max(1, |score|): a GaussianMixture fitted on float32 features keeps float32
# parameters and scikit-learn computes parts of its log-likelihood (log-determinants, log
# weights) in float32, the C all in double (measured 1.2e-6)
TOLERANCE = {"kmeans": 1e-9, "gaussian_mixture": 1e-5, "elliptic_envelope": 1e-9,
             "isolation_forest": 1e-12}

DETECTORS_UNDER_TEST = reference_detectors()


@pytest.fixture(scope="module")
def cwru(shared_data: Path) -> CwruSplit:
    return cwru_split(shared_data)


@pytest.mark.parametrize("kind", list(DETECTORS_UNDER_TEST))
def test_detector_equals_sklearn_and_detects_faults(kind: str, cwru: CwruSplit,
                                                    tmp_path: Path) -> None:
    est = DETECTORS_UNDER_TEST[kind]().fit(cwru.train)
    model = microforge.compile(est, tmp_path, name=kind, calibration=cwru.calibration,
                               false_alarm_rate=0.01)
    assert isinstance(model, CompiledDetector)
    faults = np.concatenate(list(cwru.faults.values()))
    x = np.concatenate([cwru.normal_test, faults])
    truth = np.r_[np.zeros(len(cwru.normal_test)), np.ones(len(faults))]
    ours, ref = model.score(x), DETECTORS[kind].reference(est, x)
    assert np.max(np.abs(ours - ref) / np.maximum(1.0, np.abs(ref))) <= TOLERANCE[kind]
    flags = model.is_anomaly(x)
    np.testing.assert_array_equal(flags, ref > model.threshold)
    auc = roc_auc_score(truth, ours)
    per_fault = {k: float(model.is_anomaly(v).mean()) for k, v in cwru.faults.items()}
    print(f"{kind}: AUC {auc:.4f}, false alarms {flags[truth == 0].mean():.3f}, "
          f"detection {flags[truth == 1].mean():.3f}, per fault {per_fault}")
    assert auc >= 0.99  # every detector separates CWRU's faults from normal
    assert flags[truth == 1].mean() > 0.9
    assert "malloc" not in (tmp_path / f"{kind}.c").read_text()


def test_precision_factor_takes_a_semidefinite_precision_and_refuses_an_indefinite_one() -> None:
    """Collinear features leave an eigenvalue at rounding level (either sign): still factored."""
    from microforge.classical.detectors import precision_factor
    from microforge.errors import ModelError

    v = np.linalg.qr(np.random.default_rng(0).normal(size=(4, 4)))[0]
    semidefinite = v @ np.diag([2.0, 1.0, 0.5, -1e-16]) @ v.T
    f = precision_factor(semidefinite)
    np.testing.assert_allclose(f @ f.T, semidefinite, atol=1e-12)
    with pytest.raises(ModelError, match="not positive semidefinite"):
        precision_factor(v @ np.diag([2.0, 1.0, 0.5, -0.3]) @ v.T)
