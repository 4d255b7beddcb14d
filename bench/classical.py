"""Classical models on UCI HAR (spectral DSP features, 6 subjects train / 3 test): accuracy,
C == scikit-learn decisions, flash and RAM of the generated C on the Cortex-M4 and M0+.

    .venv/bin/python -m bench.classical
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

import microforge
from microforge.classical.reference_data import har_features
from microforge.classical.reference_models import reference_classifiers
from microforge.paths import shared_data_dir
from microforge.runners.sizes import measure_library
from microforge.targets.boards import load_board
from microforge.targets.cores import core_spec

BOARDS = {"cortex-m4": "arduino_nano_33_ble_sense", "cortex-m0plus": "raspberry_pi_pico"}


def run() -> str:
    data = shared_data_dir()
    if data is None:
        raise SystemExit("../shared/data not found (set MICROFORGE_DATA)")
    x_train, y_train, x_test, y_test = har_features(Path(data))
    rows = ["| kind | test accuracy | C == sklearn | flash M4 (B) | flash M0+ (B) | RAM (B) |",
            "|---|---|---|---|---|---|"]
    cores = {core: list(core_spec(load_board(board)).cflags) for core, board in BOARDS.items()}
    for kind, make in reference_classifiers().items():
        est = make().fit(x_train, y_train)
        with tempfile.TemporaryDirectory() as tmp:
            model = microforge.compile(est, tmp, name=kind)
            ours = model.predict(x_test)
            same = int(np.sum(ours == est.predict(x_test)))
            sizes = {core: measure_library(model.out_dir, lambda _: "m", arm_flags=flags)
                     .parts["m"] for core, flags in cores.items()}
        rows.append(f"| {kind} | {np.mean(ours == y_test) * 100:.1f} % | {same}/{len(ours)} | "
                    f"{sizes['cortex-m4'].flash_bytes:,} | {sizes['cortex-m0plus'].flash_bytes:,} | "
                    f"{sizes['cortex-m4'].ram_bytes} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(run())
