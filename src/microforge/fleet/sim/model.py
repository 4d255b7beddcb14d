"""What the simulated devices run and see: a trained project's monitored C pipeline
(`compile_monitored`, host build), its monitor reference, and the project's real windows
split as the model saw them (validation windows: the reference; held-out: the test split).

    model = load_sim_model(Path("examples/fleet_har"))    # trains it first if needed
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console

from microforge.config import ProjectConfig, load_config
from microforge.errors import ConfigError
from microforge.library.assemble import PipelineLibrary
from microforge.monitor.build import compile_monitored
from microforge.monitor.reference import MonitorReference
from microforge.workspace.data import ProjectData
from microforge.workspace.rundir import RunDir
from microforge.workspace.trained import project_config_path

DEFAULT_PROJECT = Path("examples/fleet_har")


@dataclass
class SimModel:
    library: PipelineLibrary
    reference: MonitorReference
    x: np.ndarray  # (n, window_len, channels) float32: every window of the project's data
    y: np.ndarray
    validation: np.ndarray  # indices of the windows the reference was fitted on
    held_out: np.ndarray  # indices of the test split's windows (groups never trained on)
    held_out_groups: tuple[str, ...]
    channels: tuple[str, ...]
    classes: tuple[str, ...]


def project_config(project: Path) -> ProjectConfig:
    path = project_config_path(project) or project
    if not path.is_file():
        raise ConfigError(f"--project {project}: no microforge.toml there; give a project "
                          "folder (the default is examples/fleet_har, run from the repository "
                          "root)")
    config = load_config(path)
    if not config.monitor.enabled:
        raise ConfigError(f"{path}: [monitor] enabled is false; the simulated devices send "
                          "the monitor's records: set [monitor] enabled = true")
    if config.is_classical:
        raise ConfigError(f"{path}: a classical model; the monitor covers int8 networks")
    return config


def load_sim_model(project: Path, console: Console | None = None) -> SimModel:
    """The project's monitored library and windows; trains the project first when it has no
    run yet (`microforge run`), and compiles its C pipeline with the monitor."""
    console = console or Console(stderr=True)
    config = project_config(project)
    run = RunDir(config.output_path())
    if not run.int8_tflite.is_file():
        from microforge.project import Project

        console.log(f"{project}: not trained yet; training it first (microforge run)")
        Project(config, console).run()
    data = ProjectData(config, console)
    dataset, windows = data.load()
    library, reference = compile_monitored(config, data=data)
    fold = data.final_fold()
    val, train, test = fold.mask("val"), fold.mask("train"), fold.mask("test")
    validation = np.flatnonzero(val if val.any() else train)
    held_out = np.flatnonzero(test)
    return SimModel(library, reference, windows.x, windows.y, validation, held_out,
                    tuple(sorted({str(g) for g in windows.groups[held_out]})),
                    tuple(dataset.channel_names), tuple(dataset.classes))
