"""A tiny project on microforge.demo's synthetic dataset (3-axis, 100 Hz, 4 classes): written
untrained (fast), with fake run outputs (fast: no model is run), or trained for real (~30 s)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np

from microforge.demo import DEMO_CONFIG, _to_toml

BOARD = "nucleo_l4r5zi"  # Cortex-M4F, QEMU mps2-an386
WINDOW = 128  # 1280 ms at 100 Hz
STRIDE = 64


def write_project(root: Path, compare: list[str] | None = None) -> Path:
    """The dataset and microforge.toml under root (nothing trained); returns the toml."""
    from microforge.data.synthetic import MachineDatasetParams, write_machine_dataset

    write_machine_dataset(root / "dataset", seed=0,
                          params=MachineDatasetParams(recordings_per_class=4, duration_s=4.0))
    config = copy.deepcopy(DEMO_CONFIG)
    config["model"] = {"architecture": "cnn1d", "width": 0.5}
    config["split"] = {"seed": 0, "test_fraction": 0.25, "val_fraction": 0.0}
    config["training"] = {"epochs": 2, "batch_size": 16, "early_stopping_patience": 0}
    config["project"] = {"name": "tiny", "output_dir": "build"}
    config["quantization"] = {"representative_samples": 20}
    config["target"] = {"board": BOARD, "compare": compare if compare is not None else []}
    toml = root / "microforge.toml"
    toml.write_text(_to_toml(config, seed=0), encoding="utf-8")
    return toml


def fake_run_outputs(toml: Path) -> Path:
    """dsp.json, labels.json and a placeholder model: enough for load_trained, not to infer."""
    from microforge.dsp import make_block

    out = toml.parent / "build"
    out.mkdir(parents=True, exist_ok=True)
    block = make_block("raw", {}).fit(np.zeros((2, WINDOW, 3), np.float32), 100.0)
    (out / "dsp.json").write_text(json.dumps({"block": "raw", "state": block.state_dict()}))
    (out / "labels.json").write_text(json.dumps(["a", "b", "c", "d"]))
    (out / "model_int8.tflite").write_bytes(b"placeholder")
    return out


def train_project(root: Path, compare: list[str] | None = None) -> Path:
    """write_project + `Project.run()` (2 epochs); returns the toml."""
    from microforge.project import Project

    toml = write_project(root, compare)
    Project.from_toml(toml).run()
    return toml
