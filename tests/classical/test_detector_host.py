"""Threshold calibration and bad input to the detector compiler (one-line errors)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from sklearn.covariance import EllipticEnvelope
from sklearn.ensemble import IsolationForest
from sklearn.mixture import GaussianMixture
from sklearn.svm import OneClassSVM

import microforge
from microforge.classical.detector_host import calibrate_threshold, compile_detector
from microforge.classical.detectors import DETECTORS, detector_of
from microforge.errors import ConfigError, DataError, ModelError
from microforge.runners.sizes import WARNING_FLAGS

RNG = np.random.default_rng(0)
NORMAL = RNG.normal(size=(400, 3)).astype(np.float32)


def test_calibration_keeps_false_alarms_at_or_below_the_target() -> None:
    scores = np.arange(1000, dtype=np.float64)
    t = calibrate_threshold(scores, 0.01)
    assert np.mean(scores > t) == pytest.approx(0.01)
    assert t == 989.5  # between two calibration scores, on none of them
    top = calibrate_threshold(scores, 0.0)
    assert top == pytest.approx(999.0 * (1 + 1e-4), rel=1e-12)
    with pytest.raises(ConfigError, match="false_alarm_rate"):
        calibrate_threshold(scores, 1.5)
    with pytest.raises(DataError, match="calibration"):
        calibrate_threshold(np.array([]), 0.01)


def test_unsupported_detector_and_missing_threshold(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as err:
        microforge.compile(OneClassSVM().fit(NORMAL), tmp_path / "out")
    msg = str(err.value)
    assert "\n" not in msg and "OneClassSVM" in msg and "IsolationForest" in msg
    with pytest.raises(ModelError, match="OneClassSVM"):
        compile_detector(OneClassSVM().fit(NORMAL), tmp_path / "out")
    with pytest.raises(ConfigError, match="calibration"):
        compile_detector(EllipticEnvelope(random_state=0).fit(NORMAL), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_nan_features_rejected(tmp_path: Path) -> None:
    est = EllipticEnvelope(random_state=0).fit(NORMAL)
    model = compile_detector(est, tmp_path, calibration=NORMAL[:100])
    bad = NORMAL[:4].copy()
    bad[1, 2] = np.nan
    with pytest.raises(DataError, match="row 1 feature 2 is nan"):
        model.score(bad)
    with pytest.raises(DataError, match="calibration: row 1 feature 2 is nan"):
        compile_detector(est, tmp_path / "x", calibration=bad)


HARNESS = """#include <stdio.h>
#include "gmm.h"
int main(void) {
    float x[MF_GMM_N_FEATURES];
    while (fread(x, sizeof x, 1, stdin) == 1) {
        printf("%a %d\\n", mf_gmm_score(x), mf_gmm_is_anomaly(x));
    }
    return 0;
}
"""


def test_gmm_sanitizers_clean_and_same_scores(tmp_path: Path) -> None:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc not installed")
    est = GaussianMixture(3, covariance_type="full", random_state=0).fit(NORMAL)
    model = compile_detector(est, tmp_path / "gmm", name="gmm", calibration=NORMAL[:200])
    (tmp_path / "main.c").write_text(HARNESS)
    exe = tmp_path / "run"
    subprocess.run([gcc, *WARNING_FLAGS, "-g", "-fsanitize=address,undefined",
                    "-fno-sanitize-recover=all", "-I", str(model.out_dir),
                    str(model.out_dir / "gmm.c"), str(tmp_path / "main.c"), "-o", str(exe),
                    "-lm"], check=True)
    x = np.concatenate([NORMAL, 4.0 * NORMAL[:50]])
    done = subprocess.run([str(exe)], input=np.ascontiguousarray(x).tobytes(),
                          capture_output=True, check=True)
    assert done.stderr == b""
    rows = [line.split() for line in done.stdout.decode().splitlines()]
    scores = np.array([float.fromhex(s) for s, _ in rows])
    np.testing.assert_array_equal(scores, model.score(x))  # same C, sanitized or not
    np.testing.assert_array_equal(np.array([int(f) for _, f in rows], bool),
                                  model.is_anomaly(x))
    assert model.is_anomaly(x[400:]).mean() > 0.5


@pytest.mark.parametrize("make", [
    *(lambda c=c: GaussianMixture(3, covariance_type=c, random_state=0)
      for c in ("full", "tied", "diag", "spherical")),
    lambda: IsolationForest(n_estimators=20, max_features=0.5, random_state=0),
], ids=["gmm_full", "gmm_tied", "gmm_diag", "gmm_spherical", "iforest_feature_subsets"])
def test_every_variant_scores_as_sklearn(make, tmp_path: Path) -> None:
    skewed = NORMAL * np.array([1.0, 3.0, 0.2], np.float32) + np.array([0, 1, 2], np.float32)
    est = make().fit(skewed)
    model = compile_detector(est, tmp_path, name="d", calibration=skewed[:100])
    x = np.concatenate([skewed, 3.0 * skewed[:40]])
    ref = DETECTORS[detector_of(est).name].reference(est, x)  # type: ignore[union-attr]
    # a mixture fitted on float32 keeps float32 parameters and scikit-learn computes part of
    # the log-likelihood (log-determinants, log weights) in float32; the C in double
    tolerance = 1e-5 if isinstance(est, GaussianMixture) else 1e-12
    assert np.max(np.abs(model.score(x) - ref) / np.maximum(1.0, np.abs(ref))) <= tolerance
    np.testing.assert_array_equal(model.is_anomaly(x), ref > model.threshold)
