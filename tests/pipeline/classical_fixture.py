"""A tiny classical project on microforge.demo's synthetic machine dataset (3-axis, 100 Hz,
idle / normal / imbalance / bearing_fault): a scikit-learn classifier or an anomaly detector
on spectral features, trained in a few seconds."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from microforge.demo import DEMO_CONFIG, _to_toml

BOARD = "nucleo_l4r5zi"  # Cortex-M4F, QEMU mps2-an386


def write_classical_project(root: Path, architecture: str = "random_forest",
                            anomaly: dict[str, Any] | None = None,
                            classical: dict[str, Any] | None = None,
                            split: dict[str, Any] | None = None,
                            stride_ms: float = 640.0) -> Path:
    """The dataset (written once per root) and microforge.toml; returns the toml."""
    from microforge.data.synthetic import MachineDatasetParams, write_machine_dataset

    if not (root / "dataset").is_dir():
        write_machine_dataset(root / "dataset", seed=0,
                              params=MachineDatasetParams(recordings_per_class=4,
                                                          duration_s=4.0))
    config = copy.deepcopy(DEMO_CONFIG)
    config["dsp"] = {"block": "spectral"}
    config["windowing"] = {**config["windowing"], "stride_ms": stride_ms}
    config["model"] = {"architecture": architecture,
                       "classical": classical or {"n_estimators": 10, "max_iter": 20}}
    config["split"] = split or {"seed": 0, "test_fraction": 0.25, "val_fraction": 0.25}
    config["project"] = {"name": "tiny_cl", "output_dir": "build"}
    config["target"] = {"board": BOARD, "compare": []}
    if anomaly is not None:
        config["anomaly"] = anomaly
    toml = root / "microforge.toml"
    toml.write_text(_to_toml(config, seed=0), encoding="utf-8")
    return toml
