"""k-nearest-neighbours compiled to C: decisions equal KNeighborsClassifier.predict on every
UCI HAR test window (host, ASan/UBSan, emulated Cortex-M4F), vote ties as scikit-learn, and
the one-line refusals (flash budget, weights, metric)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="scikit-learn not installed: pip install 'microforge[classical]'")
from sklearn.neighbors import KNeighborsClassifier

import microforge
from microforge.classical.knn import FLASH_BUDGET
from microforge.classical.mcu import run_classical_on_mcu
from microforge.classical.reference_data import har_features
from microforge.errors import ModelError
from microforge.runners.sizes import WARNING_FLAGS

N_TRAIN = 300  # training windows subsampled so the table fits the flash budget (205 KB)


@pytest.fixture(scope="module")
def har(shared_data: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x_train, y_train, x_test, y_test = har_features(shared_data)
    idx = np.sort(np.random.default_rng(0).choice(len(x_train), N_TRAIN, replace=False))
    return x_train[idx], y_train[idx], x_test, y_test


@pytest.mark.parametrize("k", [1, 4, 5])
def test_decisions_equal_sklearn_on_every_har_window(k: int, har, tmp_path: Path) -> None:
    x_train, y_train, x_test, y_test = har
    est = KNeighborsClassifier(n_neighbors=k).fit(x_train, y_train)
    model = microforge.compile(est, tmp_path, name="knn")
    ours = model.predict(x_test)
    np.testing.assert_array_equal(ours, est.predict(x_test))
    assert np.mean(ours == y_test) > 0.6
    votes = model.scores(x_test)
    np.testing.assert_array_equal(votes, est.predict_proba(x_test) * k)
    if k == 4:  # even k: vote ties happen on HAR and go to the smallest label, as sklearn
        top = votes.max(axis=1, keepdims=True)
        assert np.sum((votes == top).sum(axis=1) > 1) > 0


def test_near_ties_and_float64_training_rows(tmp_path: Path) -> None:
    # a 2-D grid moved by 1e-9: many distances 1e-9 apart (exactly equal ones are left to the
    # training order by scikit-learn's heap, see docs/classical.md); float64 rows that are
    # not float32 values, so the C keeps them in double
    rng = np.random.default_rng(1)
    x = rng.integers(0, 4, size=(60, 2)).astype(np.float64) + 1e-9 * rng.normal(size=(60, 2))
    y = rng.integers(0, 3, size=60)
    q = rng.integers(0, 4, size=(200, 2)).astype(np.float32) + 0.5
    for k in (2, 3):
        est = KNeighborsClassifier(n_neighbors=k).fit(x, y)
        model = microforge.compile(est, tmp_path / str(k), name="knn")
        assert "static const double train" in (tmp_path / str(k) / "knn.c").read_text()
        np.testing.assert_array_equal(model.predict(q), est.predict(q))


def test_refusals_are_one_line(har, tmp_path: Path) -> None:
    x_train, y_train, _, _ = har
    too_big = np.tile(x_train, (2, 1))  # 600 rows x 171 floats > 256 KiB
    with pytest.raises(ModelError) as err:
        microforge.compile(KNeighborsClassifier().fit(too_big, np.tile(y_train, 2)),
                           tmp_path / "big")
    assert "\n" not in str(err.value) and f"{FLASH_BUDGET:,} B budget" in str(err.value)
    with pytest.raises(ModelError, match="weights='uniform'"):
        microforge.compile(KNeighborsClassifier(weights="distance").fit(x_train, y_train),
                           tmp_path / "w")
    with pytest.raises(ModelError, match="metric 'manhattan'"):
        microforge.compile(KNeighborsClassifier(metric="manhattan").fit(x_train, y_train),
                           tmp_path / "m")
    assert not any(tmp_path.iterdir())


HARNESS = """#include <stdio.h>
#include "knn.h"
int main(void) {
    float x[MF_KNN_N_FEATURES];
    while (fread(x, sizeof x, 1, stdin) == 1) {
        printf("%d\\n", mf_knn_predict(x));
    }
    return 0;
}
"""


def test_sanitizers_clean(har, tmp_path: Path) -> None:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc not installed")
    x_train, y_train, x_test, _ = har
    est = KNeighborsClassifier(n_neighbors=4).fit(x_train, y_train)
    model = microforge.compile(est, tmp_path / "knn", name="knn")
    (tmp_path / "main.c").write_text(HARNESS)
    exe = tmp_path / "run"
    subprocess.run([gcc, *WARNING_FLAGS, "-g", "-fsanitize=address,undefined",
                    "-fno-sanitize-recover=all", "-I", str(model.out_dir),
                    str(model.out_dir / "knn.c"), str(tmp_path / "main.c"), "-o", str(exe)],
                   check=True)
    done = subprocess.run([str(exe)], input=np.ascontiguousarray(x_test).tobytes(),
                          capture_output=True, check=True)
    assert done.stderr == b""
    got = np.array([int(v) for v in done.stdout.decode().split()])
    np.testing.assert_array_equal(model.classes_[got], est.predict(x_test))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None
                    or shutil.which("qemu-system-arm") is None,
                    reason="arm-none-eabi-gcc and qemu-system-arm are needed")
@pytest.mark.parametrize(("board", "every"), [("arduino_nano_33_ble_sense", 10),
                                               ("raspberry_pi_pico", 50)])
def test_on_cortex_m_decides_as_sklearn(board: str, every: int, har, tmp_path: Path) -> None:
    x_train, y_train, x_test, _ = har
    est = KNeighborsClassifier(n_neighbors=5).fit(x_train, y_train)
    model = microforge.compile(est, tmp_path / "c", name="knn")
    # double is software on both cores: 110 windows on the M4F (~10 s of QEMU), 22 on the M0+
    x = x_test[::every]
    run = run_classical_on_mcu(model, board, x, work_dir=tmp_path / "fw")
    np.testing.assert_array_equal(model.classes_[run.decisions], est.predict(x))
    np.testing.assert_array_equal(run.scores, model.scores(x)[:, 0])
    print(f"knn {board}: flash {run.library_flash_bytes} B, RAM {run.library_ram_bytes} B, "
          f"stack {run.stack_bytes} B, instructions mean {np.mean(run.instructions):.0f} "
          f"max {max(run.instructions)}")
    assert run.library_ram_bytes == 0
