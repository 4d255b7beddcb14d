"""The int8 dense autoencoder detector (train/autoencoder.py -> classical/autoencoder.py) on
CWRU (shared data): trained on the first 60 % of the normal recording only, threshold at 1 %
false alarms on the next 20 %, tested on the last 20 % and all nine fault recordings. The C
score equals the Python score of the int8 model (TFLM) exactly; sanitizers clean."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("keras", reason="keras not installed: pip install 'microforge[train]'")
pytest.importorskip("sklearn", reason="scikit-learn not installed: pip install 'microforge[classical]'")
from sklearn.metrics import roc_auc_score

import microforge
from microforge.classical.autoencoder import compile_autoencoder, reference_score
from microforge.classical.detector_host import CompiledDetector
from microforge.classical.reference_data import CwruSplit, cwru_split
from microforge.errors import ConfigError, ModelError
from microforge.runners.sizes import WARNING_FLAGS
from microforge.train.autoencoder import TrainedAutoencoder, fit_autoencoder


@pytest.fixture(scope="module")
def cwru(shared_data: Path) -> CwruSplit:
    return cwru_split(shared_data)


@pytest.fixture(scope="module")
def trained(cwru: CwruSplit) -> TrainedAutoencoder:
    return fit_autoencoder(cwru.train, epochs=150, seed=0)


@pytest.mark.slow
def test_scores_equal_the_int8_model_and_detect_faults(cwru: CwruSplit, trained,
                                                       tmp_path: Path) -> None:
    model = microforge.compile(trained, tmp_path, name="ae", calibration=cwru.calibration,
                               false_alarm_rate=0.01)
    assert isinstance(model, CompiledDetector)
    faults = np.concatenate(list(cwru.faults.values()))
    x = np.concatenate([cwru.normal_test, faults])
    truth = np.r_[np.zeros(len(cwru.normal_test)), np.ones(len(faults))]
    ours = model.score(x)
    ref = reference_score(trained.tflite, trained.mean, trained.inv_std, x)
    np.testing.assert_array_equal(ours, ref)  # same int8 outputs (TFLM), same double sums
    flags = model.is_anomaly(x)
    np.testing.assert_array_equal(flags, ref > model.threshold)
    auc = roc_auc_score(truth, ours)
    per_fault = {k: float(model.is_anomaly(v).mean()) for k, v in cwru.faults.items()}
    print(f"autoencoder: AUC {auc:.4f}, false alarms {flags[truth == 0].mean():.3f}, "
          f"detection {flags[truth == 1].mean():.3f}, per fault {per_fault}")
    assert auc >= 0.99
    assert flags[truth == 1].mean() > 0.9
    src = (tmp_path / "ae.c").read_text() + (tmp_path / "ae_model.c").read_text()
    assert "malloc" not in src

    (tmp_path / "main.c").write_text(HARNESS)
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc not installed")
    exe = tmp_path / "run"
    sources = [str(p) for p in sorted(tmp_path.glob("*.c"))]
    subprocess.run([gcc, *WARNING_FLAGS, "-g", "-fsanitize=address,undefined",
                    "-fno-sanitize-recover=all", "-I", str(tmp_path), *sources, "-o", str(exe),
                    "-lm"], check=True)
    done = subprocess.run([str(exe)], input=np.ascontiguousarray(x).tobytes(),
                          capture_output=True, check=True)
    assert done.stderr == b""
    rows = [line.split() for line in done.stdout.decode().splitlines()]
    np.testing.assert_array_equal(np.array([float.fromhex(s) for s, _ in rows]), ours)


HARNESS = """#include <stdio.h>
#include "ae.h"
int main(void) {
    float x[MF_AE_N_FEATURES];
    while (fread(x, sizeof x, 1, stdin) == 1) {
        printf("%a %d\\n", mf_ae_score(x), mf_ae_is_anomaly(x));
    }
    return 0;
}
"""


@pytest.mark.slow
def test_bad_input_is_one_line(trained, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="calibration"):
        compile_autoencoder(trained.tflite, trained.mean, trained.inv_std, tmp_path / "a")
    with pytest.raises(ModelError, match="19 features"):
        compile_autoencoder(trained.tflite, trained.mean[:3], trained.inv_std[:3],
                            tmp_path / "b", threshold=1.0)
    assert not (tmp_path / "a").exists()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None
                    or shutil.which("qemu-system-arm") is None,
                    reason="arm-none-eabi-gcc and qemu-system-arm are needed")
@pytest.mark.parametrize("board", ["arduino_nano_33_ble_sense", "raspberry_pi_pico"])
def test_on_cortex_m_scores_as_the_host(board: str, cwru: CwruSplit, trained,
                                        tmp_path: Path) -> None:
    from microforge.classical.mcu import run_classical_on_mcu

    model = microforge.compile(trained, tmp_path / "c", name="ae", calibration=cwru.calibration)
    x = np.concatenate([cwru.normal_test, *cwru.faults.values()])
    run = run_classical_on_mcu(model, board, x, work_dir=tmp_path / "fw")
    np.testing.assert_array_equal(run.scores, model.score(x))  # no libm in the score: exact
    np.testing.assert_array_equal(run.decisions.astype(bool), model.is_anomaly(x))
    print(f"autoencoder {board}: flash {run.library_flash_bytes} B, RAM "
          f"{run.library_ram_bytes} B, stack {run.stack_bytes} B, instructions mean "
          f"{np.mean(run.instructions):.0f} max {max(run.instructions)}")
