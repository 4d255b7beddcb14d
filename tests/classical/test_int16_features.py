"""Tree models on integer features (features="int16": int16_t x, integer thresholds of the
narrowest type): decisions == scikit-learn / LightGBM on every UCI HAR test window, with the
spectral features in int16 fixed point (as a fixed-point DSP or an ADC gives them), on the host
and on the emulated Cortex-M4F and M0+."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="scikit-learn not installed: pip install 'microforge[classical]'")

import microforge
from microforge.classical.reference_data import har_features
from microforge.classical.reference_models import reference_classifiers
from microforge.errors import ConfigError, DataError

TREES = [k for k in ("decision_tree", "random_forest", "extra_trees", "gradient_boosting",
                     "lightgbm") if k in reference_classifiers()]


def to_int16(x: np.ndarray, full_scale: np.ndarray) -> np.ndarray:
    """Per-feature fixed point: full_scale -> 30,000, rounded, saturated to int16."""
    return np.clip(np.rint(x / full_scale * 30_000), -32768, 32767).astype(np.float32)


@pytest.fixture(scope="module")
def har_int16(shared_data: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x_train, y_train, x_test, _ = har_features(shared_data)
    full_scale = np.maximum(np.abs(x_train).max(axis=0), 1e-12)
    return to_int16(x_train, full_scale), y_train, to_int16(x_test, full_scale)


_FITTED: dict[str, Any] = {}


def _fit(kind: str, x: np.ndarray, y: np.ndarray) -> Any:
    if kind not in _FITTED:
        _FITTED[kind] = reference_classifiers()[kind]().fit(x, y)
    return _FITTED[kind]


@pytest.mark.parametrize("layout", ["tables", "inline"])
@pytest.mark.parametrize("kind", TREES)
def test_int16_trees_decide_as_the_reference(kind: str, layout: str, har_int16,
                                             tmp_path: Path) -> None:
    x_train, y_train, x_test = har_int16
    est = _fit(kind, x_train, y_train)
    model = microforge.compile(est, tmp_path / "c", name=kind, layout=layout, features="int16")
    np.testing.assert_array_equal(model.predict(x_test), est.predict(x_test))
    src = (tmp_path / "c" / f"{kind}.c").read_text()
    assert f"int mf_{kind}_predict(const int16_t *x)" in src
    assert "mf_leaf(const int16_t *x, int32_t tree)" in src and "mf_bits" not in src
    if layout == "tables":
        assert "static const int16_t threshold[" in src


def test_integer_thresholds_are_exact_at_the_edges(tmp_path: Path) -> None:
    from sklearn.tree import DecisionTreeClassifier

    # thresholds between integers, at the int16 ends and beyond them
    x = np.array([[-32768], [-32767], [-2], [-1], [0], [1], [32766], [32767]], np.float32)
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    est = DecisionTreeClassifier(random_state=0).fit(x, y)
    model = microforge.compile(est, tmp_path, name="edges", features="int16")
    grid = np.arange(-32768, 32768, 7, dtype=np.float32)[:, None]
    np.testing.assert_array_equal(model.predict(grid), est.predict(grid))
    np.testing.assert_array_equal(model.predict(x), y)


def test_int16_is_for_trees_and_integer_rows(har_int16, tmp_path: Path) -> None:
    from sklearn.linear_model import LogisticRegression

    x_train, y_train, x_test = har_int16
    lr = LogisticRegression(max_iter=1000).fit(x_train[:200] / 30_000, y_train[:200])
    with pytest.raises(ConfigError, match="for tree models") as err:
        microforge.compile(lr, tmp_path / "lr", features="int16")
    assert "\n" not in str(err.value) and not (tmp_path / "lr").exists()
    with pytest.raises(ConfigError, match="features 'int8' is not one of float, int16"):
        microforge.compile(_fit("decision_tree", x_train, y_train), tmp_path / "x",
                           features="int8")
    model = microforge.compile(_fit("decision_tree", x_train, y_train), tmp_path / "t",
                               name="t", features="int16")
    with pytest.raises(DataError, match="row 0 feature 3 is 0.5, not an int16"):
        model.predict(np.where(np.arange(x_test.shape[1]) == 3, 0.5, x_test[0])[None, :])
    with pytest.raises(DataError, match="not an int16"):
        model.predict(np.full((1, x_test.shape[1]), 40_000.0))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None
                    or shutil.which("qemu-system-arm") is None,
                    reason="arm-none-eabi-gcc and qemu-system-arm are needed")
@pytest.mark.parametrize("board", ["arduino_nano_33_ble_sense", "raspberry_pi_pico"])
@pytest.mark.parametrize("kind", ["random_forest", "gradient_boosting"])
def test_int16_trees_on_mcu(kind: str, board: str, har_int16, tmp_path: Path) -> None:
    from microforge.classical.mcu import run_classical_on_mcu

    x_train, y_train, x_test = har_int16
    est = _fit(kind, x_train, y_train)
    model = microforge.compile(est, tmp_path / "c", name=kind, features="int16")
    run = run_classical_on_mcu(model, board, x_test, work_dir=tmp_path / "fw")
    np.testing.assert_array_equal(model.classes_[run.decisions], est.predict(x_test))
    np.testing.assert_array_equal(run.scores, model.scores(x_test)[:, 0])
    print(f"{kind} int16 {board}: flash {run.library_flash_bytes} B, stack {run.stack_bytes} B,"
          f" instructions mean {np.mean(run.instructions):.0f} max {max(run.instructions)}")
