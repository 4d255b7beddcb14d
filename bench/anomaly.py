"""Anomaly detectors on CWRU (spectral DSP features): trained on the first 60 % of the normal
recording, threshold calibrated on the next 20 % at 1 % false alarms, tested on the last 20 %
and on every fault recording. ROC AUC, false alarms and detection at the threshold, per fault,
C == scikit-learn flags, and on the emulated Cortex-M4F: flash, RAM, instructions.

    .venv/bin/python -m bench.anomaly
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

import microforge
from microforge.classical.detectors import DETECTORS
from microforge.classical.mcu import run_classical_on_mcu
from microforge.classical.reference_data import cwru_split
from microforge.classical.reference_models import reference_detectors
from microforge.paths import shared_data_dir


def run() -> str:
    data = shared_data_dir()
    if data is None:
        raise SystemExit("../shared/data not found (set MICROFORGE_DATA)")
    split = cwru_split(Path(data))
    x = np.concatenate([split.normal_test, *split.faults.values()])
    truth = np.r_[np.zeros(len(split.normal_test)), np.ones(len(x) - len(split.normal_test))]
    on_mcu = shutil.which("qemu-system-arm") is not None
    rows = ["| detector | ROC AUC | false alarms | detection | weakest fault | C == sklearn | "
            "flash M4 (B) | RAM (B) | instructions M4 (mean) |", "|---|---|---|---|---|---|---|---|---|"]
    for kind, make in reference_detectors().items():
        est = make().fit(split.train)
        with tempfile.TemporaryDirectory() as tmp:
            model = microforge.compile(est, Path(tmp) / "c", name=kind,
                                       calibration=split.calibration, false_alarm_rate=0.01)
            flags = model.is_anomaly(x)
            auc = roc_auc_score(truth, model.score(x))
            same = int(np.sum(flags == (DETECTORS[kind].reference(est, x) > model.threshold)))
            per = {k: model.is_anomaly(v).mean() for k, v in split.faults.items()}
            weakest = min(per, key=lambda k: per[k])
            mcu = " - | - | - |"
            if on_mcu:
                r = run_classical_on_mcu(model, "arduino_nano_33_ble_sense", x,
                                         work_dir=Path(tmp) / "fw")
                same_mcu = int(np.sum(r.decisions.astype(bool) == flags))
                mcu = (f" {r.library_flash_bytes:,} | {r.library_ram_bytes} | "
                       f"{np.mean(r.instructions):,.0f} (M4 == host {same_mcu}/{len(x)}) |")
        rows.append(f"| {kind} | {auc:.4f} | "
                    f"{flags[truth == 0].mean() * 100:.1f} % | {flags[truth == 1].mean() * 100:.1f} % | "
                    f"{weakest} {per[weakest] * 100:.1f} % | {same}/{len(x)} |{mcu}")
    return "\n".join(rows)


if __name__ == "__main__":
    print(run())
