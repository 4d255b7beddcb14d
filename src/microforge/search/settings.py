"""The settings of one search: [search] in microforge.toml, overridden by the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from microforge.config import ProjectConfig, load_config
from microforge.errors import ConfigError
from microforge.search.candidate import config_file
from microforge.search.space import (
    Dimension,
    data_type_of,
    default_space,
    dimension_from_dict,
)
from microforge.targets.boards import Board, load_board
from microforge.workspace.rundir import RunDir


@dataclass
class SearchSettings:
    config_path: Path
    project: str
    folder: Path  # <output>/search
    board: Board
    trials: int
    workers: int
    seed: int
    max_epochs: int | None
    objectives: list[str]
    latency_ms: float | None
    cost_method: str  # emulator | model (auto resolved)
    val_fraction: float
    space: list[Dimension]
    data_type: str
    ray: str | None = None
    pruner: str = "none"  # median | none (none when there are several objectives)
    pruner_startup_trials: int = 5
    pruner_warmup_epochs: int = 0
    trial_timeout: float | None = None  # seconds per trial, each in its own process

    @property
    def study_db(self) -> Path:
        return self.folder / "study.db"

    @property
    def trials_json(self) -> Path:
        return self.folder / "trials.json"


def resolve_settings(config: str | Path, *, board: str | None = None,
                     trials: int | None = None, workers: int | None = None,
                     max_epochs: int | None = None, out: str | Path | None = None,
                     seed: int | None = None, ray: str | None = None,
                     trial_timeout: float | None = None) -> SearchSettings:
    """Settings from the project's config and the command-line overrides (ConfigError naming
    the option or field on a bad value)."""
    from microforge.search.cost import resolve_method

    path = config_file(config)
    project = load_config(path)
    s = project.search
    for option, value, low in (("--trials", trials, 1), ("--workers", workers, 1),
                               ("--max-epochs", max_epochs, 1)):
        if value is not None and value < low:
            raise ConfigError(f"{option} must be at least {low}, got {value}")
    if trial_timeout is not None and not trial_timeout > 0:
        raise ConfigError(f"--trial-timeout must be a number of seconds above 0, got "
                          f"{trial_timeout}")
    chosen = load_board(board or s.board or project.target.board)
    output = Path(out).resolve() if out is not None else project.output_path()
    data_type = (data_type_of(project.dsp.block, project.dataset.format)
                 if s.data_type == "auto" else s.data_type)
    method = resolve_method(s.cost, chosen)
    return SearchSettings(
        config_path=path.resolve(), project=project.project.name, folder=RunDir(output).search_dir,
        board=chosen, trials=trials or s.trials, workers=workers or s.workers,
        seed=s.seed if seed is None else seed,
        max_epochs=max_epochs if max_epochs is not None else s.max_epochs,
        objectives=list(s.objectives), latency_ms=s.latency_ms,
        cost_method=method, val_fraction=s.val_fraction,
        space=space_of(project, data_type, method), data_type=data_type, ray=ray,
        pruner=s.pruner if len(s.objectives) == 1 else "none",
        pruner_startup_trials=s.pruner_startup_trials,
        pruner_warmup_epochs=s.pruner_warmup_epochs,
        trial_timeout=trial_timeout if trial_timeout is not None else s.trial_timeout)


def space_of(project: ProjectConfig, data_type: str,
             cost_method: str = "emulator") -> list[Dimension]:
    """[[search.space]] when given, else the default space of the data type."""
    if project.search.space:
        space = [dimension_from_dict(d.model_dump()) for d in project.search.space]
        if cost_method != "emulator" and any(
                d.name == "quantization.variant" and "ptq_16x8" in d.choices for d in space):
            raise ConfigError("search.space: quantization.variant ptq_16x8 needs cost = "
                              "\"emulator\" (the board's toolchain and QEMU): the per-op cost "
                              "model is fitted on int8 kernels")
    else:
        space = default_space(data_type, project.windowing.window_ms, cost_method)
    names = [d.name for d in space]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"search.space: {', '.join(duplicates)} declared twice")
    return space
