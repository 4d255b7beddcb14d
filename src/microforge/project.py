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
from typing import Any

from rich.markup import escape

from microforge.atomic import atomic_dir, atomic_write_json
from microforge.classical.trained import reference_of
from microforge.errors import ConfigError
from microforge.pipeline.results import class_table, run_figures
from microforge.pipeline.stages import ALL_STAGES, FoldResult, run_fold
from microforge.pipeline.summary import RunSummary
from microforge.report import write_report
from microforge.workspace.data import ProjectData
from microforge.workspace.folds import Fold
from microforge.workspace.rundir import RunDir


class Project(ProjectData):
    """A microforge project: a validated config, its data, and the stages that act on it."""

    def run(self, out_dir: str | Path | None = None) -> RunSummary:
        """Every stage (and cross-validation when configured), into one output folder."""
        out = Path(out_dir) if out_dir else self.config.output_path()
        started = time.perf_counter()
        _, windows = self.load()
        external = self.config.external_model_path()
        if external is not None:
            self.console.log(f"model: {escape(str(external))}, trained elsewhere; the DSP is "
                             "fitted here, no training", highlight=False)
        for line in self.evaluation_warnings():
            self.console.log(f"[yellow]warning[/]: {escape(line)}")
        results: list[FoldResult] = []
        with atomic_dir(out) as tmp:
            for kept in RunDir(out).other_commands_dirs:  # copies: a failed run keeps them
                if kept.is_dir():
                    shutil.copytree(kept, tmp / kept.name)
            for fold in self.folds():
                self.console.log(f"{fold.name}: {fold.describe(windows.groups)}")
                keep = tmp if fold.is_final else None
                results.append(run_fold(self, fold, windows, keep))
                self._log_accuracy(results[-1])
            self._write_manifest(tmp)
            summary = self._summarize(results, tmp, started)
        summary.out_dir = out
        return summary

    def run_stage(self, stage: str, out_dir: str | Path | None = None) -> RunSummary:
        """One stage on the final fold: `train`, `quantize` (needs train) or `export`."""
        if stage not in ALL_STAGES:
            raise ConfigError(f"unknown stage {stage!r}; one of {', '.join(ALL_STAGES)}")
        if self.config.is_classical and stage != "train":
            raise ConfigError(f"{self.config.project.name}: a classical model has no {stage} "
                              "stage; `microforge train` trains and evaluates it, `microforge "
                              "compile` writes its C library")
        out = Path(out_dir) if out_dir else self.config.output_path()
        run = RunDir(out)
        needed = {"quantize": run.keras_model, "export": run.int8_tflite}.get(stage)
        if stage == "quantize" and self.config.external_model_path() is not None:
            needed = run.dsp_json  # [model] tflite: nothing to quantize, evaluate it again
        if needed is not None:
            run.require(needed)
        started = time.perf_counter()
        _, windows = self.load()
        with atomic_dir(out) as tmp:
            if out.is_dir():
                shutil.copytree(out, tmp, dirs_exist_ok=True)
            result = run_fold(self, self.final_fold(), windows, tmp, (stage,), load_from=out)
            if stage == "train":
                self._write_manifest(tmp)
            summary = self._summarize([result], tmp, started)
        summary.out_dir = out
        return summary

    def int8_variant(self, variant: str, fold: Fold, features: Any, model: Any) -> bytes:
        """[quantization] variant = "qat": optimize's QAT (fine-tuning with simulated int8
        rounding, then PTQ on the representative set), or "ptq_16x8" (optimize's 16x8 PTQ:
        int16 activations and I/O), the same function a search trial of that variant runs, so
        `microforge run` of an applied trial makes that trial's model."""
        from microforge.optimize.baseline import FoldData
        from microforge.optimize.techniques import build_variant

        dataset, windows = self.load()
        data = FoldData(fold, features, windows.x[fold.mask("train")], list(dataset.classes),
                        baseline=model)
        return build_variant(variant, self, data).tflite

    def _summarize(self, results: list[FoldResult], folder: Path, started: float) -> RunSummary:
        """The run's summary, and its report (report.json, report.html) written into folder."""
        summary = RunSummary(self.config.project.name, results, time.perf_counter() - started)
        figures = run_figures(self, summary, folder)
        summary.figures = figures
        summary.report_files = [Path(p).name for p in write_report(folder, figures, summary)]
        return summary

    def _log_accuracy(self, result: FoldResult) -> None:
        float_name = (f"{result.model_kind} ({reference_of(result.model_kind)})"
                      if result.model_kind else "float")
        parts = [
            f"{kind} {100 * metrics.accuracy:.1f} %"
            for kind, metrics in ((float_name, result.float_metrics),
                                  (_int8_name(result), result.int8_metrics))
            if metrics is not None
        ]
        if parts:
            self.console.log(f"{result.name}: test accuracy {', '.join(parts)}")
        if result.detection is not None:
            for line in result.detection.lines():
                self.console.log(f"{result.name}: {escape(line)}", highlight=False)
        if result.anomaly is not None:
            for line in result.anomaly.lines():
                self.console.log(f"{result.name}: {escape(line)}", highlight=False)
        metrics = result.int8_metrics or result.float_metrics
        if metrics is not None:
            for line in class_table(metrics):
                self.console.log(f"  {escape(line)}", highlight=False)

    def _write_manifest(self, folder: Path) -> None:
        from microforge.data.manifest import write_manifest

        dataset, windows = self.load()
        run = RunDir(folder)
        write_manifest(run.manifest, dataset, windows, self.final_fold().split)
        atomic_write_json(run.resolved_config, self.config.model_dump(mode="json"))


def _int8_name(result: FoldResult) -> str:
    if result.quantization == "ptq_16x8":
        return "16x8"
    return "int8" if result.quantization == "ptq_int8" else f"int8 ({result.quantization})"
