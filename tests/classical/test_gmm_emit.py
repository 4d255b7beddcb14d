"""The Gaussian mixture detector in C: the certified float32 flag equals the double pass's
flag (MF_<NAME>_EXACT_ONLY) and scikit-learn's on every CWRU test window, and equals the double
pass's on rows straddling the threshold (where the float pass must hand over); only the upper
triangle of each precision factor is stored."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="scikit-learn not installed: pip install 'microforge[classical]'")

import microforge
from microforge.classical.detector_host import CompiledDetector
from microforge.classical.detectors import DETECTORS
from microforge.classical.reference_data import cwru_split
from microforge.classical.reference_models import reference_detectors
from tests.classical.boundary import boundary_rows


def test_float_flag_equals_double_flag(shared_data: Path, tmp_path: Path) -> None:
    split = cwru_split(shared_data)
    est = reference_detectors()["gaussian_mixture"]().fit(split.train)
    x = np.concatenate([split.normal_test, *split.faults.values()])
    fast = microforge.compile(est, tmp_path / "fast", name="gm", calibration=split.calibration)
    exact = microforge.compile(est, tmp_path / "exact", name="gm",
                               calibration=split.calibration)
    exact = CompiledDetector(exact.emitted, ["-DMF_GM_EXACT_ONLY"])
    ref = DETECTORS["gaussian_mixture"].reference(est, x) > fast.threshold
    np.testing.assert_array_equal(fast.is_anomaly(x), ref)
    np.testing.assert_array_equal(exact.is_anomaly(x), ref)
    edge = boundary_rows(exact.is_anomaly, np.concatenate([split.calibration, x]), pairs=30)
    assert len(edge) == 60
    np.testing.assert_allclose(exact.score(edge), fast.threshold, rtol=1e-5)  # on the edge
    np.testing.assert_array_equal(fast.is_anomaly(edge), exact.is_anomaly(edge))
    n = x.shape[1]
    source = (tmp_path / "fast" / "gm.c").read_text()
    assert f"chol[{4 * n * (n + 1) // 2}]" in source  # 4 components, upper triangles


def test_float64_fit_keeps_hi_lo_pairs(tmp_path: Path) -> None:
    from sklearn.mixture import GaussianMixture

    rng = np.random.default_rng(0)
    normal = rng.normal(size=(400, 5)) @ rng.normal(size=(5, 5))  # float64 features
    est = GaussianMixture(2, covariance_type="full", random_state=0).fit(normal)
    x = np.concatenate([normal, 3.0 * normal[:100]]).astype(np.float32)
    fast = microforge.compile(est, tmp_path / "fast", name="gm", calibration=normal[:100])
    exact = microforge.compile(est, tmp_path / "exact", name="gm", calibration=normal[:100])
    exact = CompiledDetector(exact.emitted, ["-DMF_GM_EXACT_ONLY"])
    assert "chol_lo[" in (tmp_path / "fast" / "gm.c").read_text()
    np.testing.assert_array_equal(fast.is_anomaly(x), exact.is_anomaly(x))
    ref = DETECTORS["gaussian_mixture"].reference(est, x)
    np.testing.assert_allclose(fast.score(x), ref, rtol=1e-9)
    np.testing.assert_array_equal(fast.is_anomaly(x), ref > fast.threshold)
