"""Tree ensembles in C: the certified int32 fixed-point vote and the exact double fallback
(MF_<NAME>_EXACT_ONLY) both decide as scikit-learn, on every HAR test window and on rows
straddling decision boundaries; forest scores equal predict_proba bit for bit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="scikit-learn not installed: pip install 'microforge[classical]'")

import microforge
from microforge.classical.host import CompiledEstimator
from microforge.classical.reference_data import har_features
from microforge.classical.reference_models import reference_classifiers
from microforge.classical.tree_emit import fixed_scale
from microforge.errors import ConfigError, ModelError
from tests.classical.boundary import boundary_rows


@pytest.fixture(scope="module")
def har(shared_data: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return har_features(shared_data)


@pytest.mark.parametrize(("kind", "layout"), [
    ("decision_tree", "tables"), ("random_forest", "tables"), ("extra_trees", "tables"),
    ("decision_tree", "inline"), ("random_forest", "inline")])
def test_certified_and_exact_paths_decide_as_sklearn(kind: str, layout: str, har,
                                                     tmp_path: Path) -> None:
    x_train, y_train, x_test, _ = har
    est = reference_classifiers()[kind]().fit(x_train, y_train)
    fast = microforge.compile(est, tmp_path / "fast", name="t", layout=layout)
    exact = microforge.compile(est, tmp_path / "exact", name="t", layout=layout)
    exact = CompiledEstimator(exact.emitted, exact.classes_, ["-DMF_T_EXACT_ONLY"])
    edge = boundary_rows(est.predict, x_test, pairs=40)
    assert len(edge) == 80
    x = np.concatenate([x_test, edge])
    np.testing.assert_array_equal(fast.predict(x), est.predict(x))
    np.testing.assert_array_equal(exact.predict(x), est.predict(x))
    np.testing.assert_array_equal(fast.scores(x), est.predict_proba(x))  # bit for bit
    source = (tmp_path / "fast" / "t.c").read_text()
    if layout == "tables":
        assert "static const uint8_t feature" in source  # 171 features fit a byte
    else:
        assert "mf_bits(x, " in source and "threshold" not in source


def test_fixed_point_scale_leaves_no_int32_overflow() -> None:
    for n_trees in (1, 2, 20, 100, 1000, 100_000):
        scale = fixed_scale(n_trees)
        assert n_trees * 2 ** scale < 2 ** 31 <= n_trees * 2 ** (scale + 1) or scale == 30


def test_inline_refuses_too_deep_trees(tmp_path: Path) -> None:
    from sklearn.tree import DecisionTreeClassifier

    x = np.arange(200, dtype=np.float32)[:, None]
    est = DecisionTreeClassifier().fit(x, np.arange(200) % 2)  # a 100-deep chain
    with pytest.raises(ModelError, match="too deep for layout='inline'.*layout='tables'"):
        microforge.compile(est, tmp_path / "c", name="deep", layout="inline")
    assert not (tmp_path / "c").exists()  # nothing half-written
    model = microforge.compile(est, tmp_path / "t", name="deep")
    np.testing.assert_array_equal(model.predict(x), est.predict(x))


def test_unknown_layout_is_a_config_error(har, tmp_path: Path) -> None:
    from sklearn.tree import DecisionTreeClassifier

    est = DecisionTreeClassifier(max_depth=2).fit(har[0], har[1])
    with pytest.raises(ConfigError, match="layout 'unrolled' is not one of tables, inline"):
        microforge.compile(est, tmp_path, name="t", layout="unrolled")
