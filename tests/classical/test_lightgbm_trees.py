"""LightGBM's model dump read into tree tables: what the C cannot reproduce is refused in one
line, before anything is written. (Its decisions on UCI HAR, host and emulated cores, are in
test_host.py and test_mcu.py with the other kinds.)"""

from __future__ import annotations

import builtins
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("lightgbm", reason="LightGBM not installed: pip install 'microforge[lightgbm]'")

import lightgbm

import microforge
from microforge.classical.lightgbm_trees import lightgbm_tables, make_lgbm_classifier
from microforge.errors import ModelError

RNG = np.random.default_rng(0)
X = RNG.normal(size=(400, 4)).astype(np.float32)
Y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)


def _fit(**params) -> lightgbm.LGBMClassifier:
    est = lightgbm.LGBMClassifier(n_estimators=5, verbose=-1, n_jobs=1, **params)
    return est.fit(X, Y)


def test_tables_walk_to_the_booster_raw_score() -> None:
    est = _fit()
    t = lightgbm_tables(est)
    raw = np.zeros(len(X))
    for row, x in enumerate(X):
        for root in t.roots:
            node = root
            while t.feature[node] >= 0:
                node = t.left[node] if x[t.feature[node]] <= t.threshold[node] else t.right[node]
            raw[row] += t.leaf_values[t.left[node], 0]
    np.testing.assert_allclose(raw, est.predict(X, raw_score=True), rtol=0, atol=1e-12)
    assert t.binary_threshold and t.interleaved


@pytest.mark.parametrize("params, field", [
    ({"linear_tree": True}, "linear trees"),
    ({"zero_as_missing": True}, "zero-as-missing"),
])
def test_unsupported_fits_refused(params: dict, field: str, tmp_path: Path) -> None:
    x = X.copy()
    x[::7, 0] = 0.0  # zeros for the zero-as-missing splits to route
    est = lightgbm.LGBMClassifier(n_estimators=5, verbose=-1, n_jobs=1, **params).fit(x, Y)
    with pytest.raises(ModelError, match=field) as err:
        microforge.compile(est, tmp_path / "out")
    assert "\n" not in str(err.value)
    assert not (tmp_path / "out").exists()


def test_categorical_split_refused(tmp_path: Path) -> None:
    x = X.copy()
    x[:, 2] = RNG.integers(0, 5, size=len(x))
    y = (x[:, 2] % 2).astype(int)
    est = lightgbm.LGBMClassifier(n_estimators=3, verbose=-1, n_jobs=1,
                                  min_data_per_group=5, cat_smooth=1)
    est.fit(x, y, categorical_feature=[2])
    with pytest.raises(ModelError, match="categorical"):
        microforge.compile(est, tmp_path / "out")


def test_unfitted_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not fitted"):
        microforge.compile(lightgbm.LGBMClassifier(), tmp_path / "out")


def test_missing_extra_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_lightgbm(name, *args, **kwargs):
        if name == "lightgbm":
            raise ImportError("No module named 'lightgbm'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_lightgbm)
    with pytest.raises(ModelError, match=r"pip install 'microforge\[lightgbm\]'"):
        make_lgbm_classifier()
