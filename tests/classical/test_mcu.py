"""Classical models and detectors on the emulated Cortex-M4F (Arduino Nano 33 BLE Sense) and
M0+ (Raspberry Pi Pico): the C decisions equal scikit-learn's on every test window (UCI HAR
for the classifiers, CWRU for the detectors), the scores equal the host C's (detectors: to 1e-13, libm); flash, RAM and
instructions per call printed (docs/classical.md)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import microforge
from microforge.classical.detectors import DETECTORS
from microforge.classical.mcu import run_classical_on_mcu
from microforge.classical.reference_data import CwruSplit, cwru_split, har_features
from microforge.classical.reference_models import reference_classifiers, reference_detectors

ESTIMATORS = reference_classifiers()
DETECTORS_UNDER_TEST = reference_detectors()
BOARDS = {"cortex-m4": "arduino_nano_33_ble_sense", "cortex-m0plus": "raspberry_pi_pico"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None
                       or shutil.which("qemu-system-arm") is None,
                       reason="arm-none-eabi-gcc and qemu-system-arm are needed"),
]


@pytest.fixture(scope="module")
def har(shared_data: Path):
    return har_features(shared_data)


@pytest.fixture(scope="module")
def cwru(shared_data: Path) -> CwruSplit:
    return cwru_split(shared_data)


_FITTED: dict[str, Any] = {}  # one fit per kind for both cores


def _fitted(kind: str, make: Callable[[], Any], x: np.ndarray, y: np.ndarray | None) -> Any:
    if kind not in _FITTED:
        _FITTED[kind] = make().fit(x) if y is None else make().fit(x, y)
    return _FITTED[kind]


@pytest.mark.parametrize("core", list(BOARDS))
@pytest.mark.parametrize(("kind", "layout"), [(k, "tables") for k in ESTIMATORS]
                         + [("random_forest", "inline")])
def test_classifier_on_mcu_decides_as_sklearn(kind: str, layout: str, core: str, har,
                                              tmp_path: Path) -> None:
    x_train, y_train, x_test, _ = har
    est = _fitted(kind, ESTIMATORS[kind], x_train, y_train)
    model = microforge.compile(est, tmp_path / "c", name=kind, layout=layout)
    run = run_classical_on_mcu(model, BOARDS[core], x_test, work_dir=tmp_path / "fw")
    np.testing.assert_array_equal(model.classes_[run.decisions], est.predict(x_test))
    np.testing.assert_array_equal(run.scores, model.scores(x_test)[:, 0])
    print(f"{kind} ({layout}) {core}: flash {run.library_flash_bytes} B, RAM "
          f"{run.library_ram_bytes} B, stack {run.stack_bytes} B, instructions mean "
          f"{np.mean(run.instructions):.0f} max {max(run.instructions)}")
    assert run.library_ram_bytes == 0


@pytest.mark.parametrize("core", list(BOARDS))
@pytest.mark.parametrize("kind", list(DETECTORS_UNDER_TEST))
def test_detector_on_mcu_flags_as_sklearn(kind: str, core: str, cwru: CwruSplit,
                                          tmp_path: Path) -> None:
    est = _fitted(kind, DETECTORS_UNDER_TEST[kind], cwru.train, None)
    model = microforge.compile(est, tmp_path / "c", name=kind, calibration=cwru.calibration)
    x = np.concatenate([cwru.normal_test, *cwru.faults.values()])
    run = run_classical_on_mcu(model, BOARDS[core], x, work_dir=tmp_path / "fw")
    ref = DETECTORS[kind].reference(est, x)
    np.testing.assert_array_equal(run.decisions.astype(bool), ref > model.threshold)
    # newlib's exp/log/pow/sqrt against glibc's: a few ulp (measured <= 4e-16 relative)
    np.testing.assert_allclose(run.scores, model.score(x), rtol=1e-13, atol=0)
    print(f"{kind} {core}: flash {run.library_flash_bytes} B, RAM {run.library_ram_bytes} B, "
          f"stack {run.stack_bytes} B, instructions mean {np.mean(run.instructions):.0f} "
          f"max {max(run.instructions)}")
    assert run.library_ram_bytes == 0
