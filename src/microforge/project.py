"""The staged pipeline: data -> windows -> split -> DSP -> train -> int8 -> TFLM export -> report.

`Project.from_toml("microforge.toml").run()` runs every stage and writes all outputs into one
folder under build/, built in a temporary sibling and renamed at the end, so a failed run
leaves nothing half-written and the previous outputs stay intact. The single stages (`train`,
`quantize`, `export`) add their files to the output folder the same way.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from rich.console import Console

from microforge.atomic import atomic_dir, atomic_write_json
from microforge.config import ProjectConfig, load_config
from microforge.errors import ConfigError, DataError
from microforge.pipeline.folds import Fold, make_folds
from microforge.pipeline.stages import ALL_STAGES, FoldResult, run_fold
from microforge.pipeline.summary import RunSummary, summarize


class Project:
    """A microforge project: a validated config and the stages that act on it."""

    def __init__(self, config: ProjectConfig, console: Console | None = None) -> None:
        self.config = config
        self.console = console or Console(stderr=True)
        self._data = None
        self._folds: list[Fold] | None = None

    @classmethod
    def from_toml(cls, path: str | Path, console: Console | None = None) -> Project:
        return cls(load_config(path), console)

    def load(self):
        """(dataset, windows), read once."""
        if self._data is None:
            from microforge.data.load import load_dataset
            from microforge.data.windowing import make_windows
            from microforge.pipeline.specs import dataset_spec, window_spec

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

    def final_fold(self) -> Fold:
        return next(f for f in self.folds() if f.is_final)

    def run(self, out_dir: str | Path | None = None) -> RunSummary:
        """Every stage (and cross-validation when configured), into one output folder."""
        out = Path(out_dir) if out_dir else self.config.output_path()
        started = time.perf_counter()
        _, windows = self.load()
        results: list[FoldResult] = []
        with atomic_dir(out) as tmp:
            for fold in self.folds():
                self.console.log(f"{fold.name}: {fold.describe(windows.groups)}")
                keep = tmp if fold.is_final else None
                results.append(run_fold(self, fold, windows, keep))
                self._log_accuracy(results[-1])
            self._write_manifest(tmp)
            summary = summarize(self, results, tmp, time.perf_counter() - started)
        summary.out_dir = out
        return summary

    def run_stage(self, stage: str, out_dir: str | Path | None = None) -> RunSummary:
        """One stage on the final fold: `train`, `quantize` (needs train) or `export`."""
        if stage not in ALL_STAGES:
            raise ConfigError(f"unknown stage {stage!r}; one of {', '.join(ALL_STAGES)}")
        out = Path(out_dir) if out_dir else self.config.output_path()
        needed = {"quantize": "model.keras", "export": "model_int8.tflite"}.get(stage)
        if needed and not (out / needed).is_file():
            previous = "train" if stage == "quantize" else "quantize"
            raise ConfigError(f"{out / needed}: not found; run `microforge {previous}` first")
        started = time.perf_counter()
        _, windows = self.load()
        with atomic_dir(out) as tmp:
            if out.is_dir():
                shutil.copytree(out, tmp, dirs_exist_ok=True)
            result = run_fold(self, self.final_fold(), windows, tmp, (stage,), load_from=out)
            if stage == "train":
                self._write_manifest(tmp)
            summary = summarize(self, [result], tmp, time.perf_counter() - started)
        summary.out_dir = out
        return summary

    def _log_accuracy(self, result: FoldResult) -> None:
        parts = [
            f"{kind} {100 * metrics.accuracy:.1f} %"
            for kind, metrics in (("float", result.float_metrics), ("int8", result.int8_metrics))
            if metrics is not None
        ]
        if parts:
            self.console.log(f"{result.name}: test accuracy {', '.join(parts)}")

    def _write_manifest(self, folder: Path) -> None:
        from microforge.data.manifest import write_manifest

        dataset, windows = self.load()
        write_manifest(folder / "manifest.json", dataset, windows, self.final_fold().split)
        atomic_write_json(folder / "config.resolved.json", self.config.model_dump(mode="json"))
