"""A small synthetic project for the optimize tests (microforge.demo's dataset, tiny model)."""

from __future__ import annotations

import copy
from pathlib import Path

from microforge.demo import DEMO_CONFIG, _to_toml


def small_project(tmp_path: Path, techniques: list[str] | None = None, epochs: int = 2,
                  **optimize):
    """A Project on a small synthetic CSV dataset; 2 cross-validation folds, 2 epochs."""
    from microforge.project import Project

    return Project.from_toml(small_config(tmp_path, techniques, epochs, **optimize))


def small_config(tmp_path: Path, techniques: list[str] | None = None, epochs: int = 2,
                 **optimize) -> Path:
    """Write the small project's dataset and microforge.toml under tmp_path; returns the toml."""
    from microforge.data.synthetic import MachineDatasetParams, write_machine_dataset

    root = tmp_path / "proj"
    write_machine_dataset(root / "dataset", seed=0,
                          params=MachineDatasetParams(recordings_per_class=4, duration_s=4.0))
    config = copy.deepcopy(DEMO_CONFIG)
    config["model"] = {"architecture": "cnn1d", "width": 0.5}
    config["split"] = {"seed": 0, "folds": 2, "val_fraction": 0.0}
    config["training"] = {"epochs": epochs, "batch_size": 16, "early_stopping_patience": 0}
    config["project"] = {"name": "opt_demo", "output_dir": str(tmp_path / "build")}
    config["optimize"] = {"finetune_epochs": 1, "representative_samples": 20, **optimize}
    if techniques is not None:
        config["optimize"]["techniques"] = techniques
    path = root / "microforge.toml"
    path.write_text(_to_toml(config, seed=0), encoding="utf-8")
    return path
