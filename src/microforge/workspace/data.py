"""A project's data: the dataset and windows its config describes, and its folds, read once."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Self

from rich.console import Console

from microforge.config import ProjectConfig, load_config
from microforge.data.recording import Dataset
from microforge.data.windowing import Windows
from microforge.errors import ConfigError, DataError
from microforge.workspace.folds import Fold, make_folds


class ProjectData:
    """A validated config, its dataset and windows (read on first use) and its folds."""

    def __init__(self, config: ProjectConfig, console: Console | None = None) -> None:
        self.config = config
        self.console = console or Console(stderr=True)
        self._data: tuple[Dataset, Windows] | None = None
        self._folds: list[Fold] | None = None

    @classmethod
    def from_toml(cls, path: str | Path, console: Console | None = None) -> Self:
        return cls(load_config(path), console)

    def load(self) -> tuple[Dataset, Windows]:
        """(dataset, windows), read once."""
        if self._data is None:
            from microforge.data.load import load_dataset
            from microforge.data.windowing import make_windows
            from microforge.workspace.specs import dataset_spec, window_spec

            started = time.perf_counter()
            dataset = load_dataset(dataset_spec(self.config))
            windows = make_windows(dataset, window_spec(self.config))
            if len(windows.y) == 0:
                raise DataError(f"{self.config.dataset_path()}: no windows; check [windowing]")
            self.console.log(
                f"data: {len(dataset.recordings)} recordings, {len(dataset.classes)} classes, "
                f"{len(windows.y)} windows of {windows.x.shape[1]} samples x "
                f"{windows.x.shape[2]} channels ({time.perf_counter() - started:.1f} s)"
            )
            for note in dataset.notes:
                self.console.log(f"data: {note}")
            self._data = (dataset, windows)
        return self._data

    def folds(self) -> list[Fold]:
        if self._folds is None:
            _, windows = self.load()
            self._folds = make_folds(windows.groups, windows.y, self.config.split)
        return self._folds

    def evaluation_warnings(self) -> list[str]:
        """workspace.folds.evaluation_warnings for this project's folds."""
        from microforge.workspace.folds import evaluation_warnings

        dataset, windows = self.load()
        return evaluation_warnings(self.folds(), windows.groups, windows.y,
                                   list(dataset.classes), self.config.split.min_class_windows)

    def int8_variant(self, variant: str, fold: Fold, features: Any, model: Any) -> bytes:
        """The int8 .tflite of a trained `model` made by `variant` ([quantization] variant
        other than ptq_int8, e.g. qat): built by the optimize layer, so only a project that
        runs it (project.Project) can; `features` are the fold's (pipeline.features)."""
        raise ConfigError(f"quantization.variant = {variant!r}: run the project with "
                          "`microforge run` (this command makes PTQ int8 models only)")

    def final_fold(self) -> Fold:
        return next(f for f in self.folds() if f.is_final)
