"""A small synthetic project for the optimize tests (microforge.demo's dataset, tiny model)."""

from __future__ import annotations

import copy
from pathlib import Path

from microforge.config import parse_config
from microforge.demo import DEMO_CONFIG


def small_project(tmp_path: Path, techniques: list[str] | None = None, epochs: int = 2,
                  **optimize):
    """A Project on a small synthetic CSV dataset; 2 cross-validation folds, 2 epochs."""
    from microforge.data.synthetic import MachineDatasetParams, write_machine_dataset
    from microforge.project import Project

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
    return Project(parse_config(config, str(root / "microforge.toml"), root))
