"""`optimize_project`: every configured variant of a project's model, built and measured per fold.

Per evaluated fold (the cross-validation folds, or the single held-out split): train the
baseline as the pipeline does, build each technique's variant from it, and score its .tflite
on the fold's test set. Costs (flash, RAM, MACs, instructions) are measured on the first
fold's variants: they depend on the architecture, which is the same in every fold.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from microforge.errors import ConfigError, DataError, MicroforgeError
from microforge.optimize.evaluate import VariantCost, measure_cost
from microforge.optimize.techniques import (
    FORMATS,
    TECHNIQUES,
    build_variant,
    predict,
)
from microforge.workspace.data import ProjectData
from microforge.workspace.folds import Fold

Progress = Callable[[str, int, int], None]  # (what is running, steps done, steps in total)


@dataclass
class VariantResult:
    technique: str
    format: str  # float32 | int8 | 16x8 | dynamic
    fold_accuracy: dict[str, float] = field(default_factory=dict)  # test accuracy per fold
    params: int = 0
    cost: VariantCost | None = None
    note: str = ""
    skipped: str | None = None  # why the variant was not built (module missing...)
    seconds: float = 0.0
    # PTQ variants: SQNR (dB) of each quantized layer's output against the float model, on
    # the first fold's test windows, so the report shows which layer hurts
    layer_errors: list[dict] = field(default_factory=list)

    @property
    def accuracy(self) -> float | None:
        """Mean test accuracy over the folds."""
        values = list(self.fold_accuracy.values())
        return float(np.mean(values)) if values else None

    @property
    def accuracy_std(self) -> float | None:
        values = list(self.fold_accuracy.values())
        return float(np.std(values)) if values else None

    def to_dict(self) -> dict:
        cost = self.cost
        return {
            "technique": self.technique, "format": self.format,
            "accuracy": self.accuracy, "accuracy_std": self.accuracy_std,
            "fold_accuracy": dict(self.fold_accuracy), "params": self.params,
            "tflite_bytes": cost.tflite_bytes if cost else None,
            "macs": cost.macs if cost else None,
            "deploy": cost.deploy if cost else None,
            "flash_bytes": cost.flash_bytes if cost else None,
            "flash_source": cost.flash_source if cost else None,
            "ram_bytes": cost.ram_bytes if cost else None,
            "ram_source": cost.ram_source if cost else None,
            "instructions": cost.instructions if cost else None,
            "instructions_source": cost.instructions_source if cost else None,
            "note": self.note, "skipped": self.skipped, "seconds": round(self.seconds, 1),
            "layer_errors": list(self.layer_errors),
        }

    @classmethod
    def from_dict(cls, d: dict) -> VariantResult:
        """The inverse of `to_dict` (e.g. to re-rank a saved optimization.json)."""
        cost = None
        if d.get("tflite_bytes") is not None:
            cost = VariantCost(d["tflite_bytes"], d["macs"], d["deploy"], d["flash_bytes"],
                               d["flash_source"], d["ram_bytes"], d["ram_source"],
                               d["instructions"], d["instructions_source"])
        return cls(d["technique"], d["format"], dict(d["fold_accuracy"]), d["params"], cost,
                   d.get("note", ""), d.get("skipped"), float(d.get("seconds", 0.0)),
                   list(d.get("layer_errors", [])))


@dataclass
class OptimizeRun:
    project: str
    folds: list[str]
    variants: list[VariantResult]
    baseline_train_seconds: float = 0.0
    seconds: float = 0.0

    def built(self) -> list[VariantResult]:
        return [v for v in self.variants if v.skipped is None]

    def variant(self, technique: str) -> VariantResult:
        return next(v for v in self.variants if v.technique == technique)


def check_techniques(techniques: Sequence[str] | None, configured: Sequence[str]) -> list[str]:
    """The techniques to run: `techniques` if given (validated), else the configured ones."""
    chosen = list(configured if techniques is None else techniques)
    unknown = [t for t in chosen if t not in TECHNIQUES]
    if unknown:
        raise ConfigError(f"unknown technique(s) {', '.join(unknown)}; "
                          f"choose from {', '.join(TECHNIQUES)}")
    if not chosen:
        raise ConfigError("optimize.techniques: choose at least one technique")
    return list(dict.fromkeys(chosen))


def evaluated_folds(project: ProjectData, max_folds: int | None = None) -> list[Fold]:
    """The folds with a test split (cross-validation folds, or the single split)."""
    folds = [f for f in project.folds() if f.mask("test").any()]
    if not folds:
        raise DataError(f"{project.config.dataset_path()}: no fold has test windows; "
                        "check [split]")
    if max_folds is not None:
        if max_folds < 1:
            raise ConfigError(f"--folds must be at least 1, got {max_folds}")
        folds = folds[:max_folds]
    return folds


LAYER_ERROR_TECHNIQUES = ("ptq_int8", "ptq_16x8")
LAYER_ERROR_WINDOWS = 64  # test windows the per-layer SQNR is measured on


def layer_errors(project: ProjectData, data, quant_tflite: bytes) -> list[dict]:
    """Per-layer SQNR of a PTQ variant against the float conversion of the same model."""
    from microforge.optimize.layer_error import per_layer_sqnr
    from microforge.optimize.techniques import quantize

    float_tflite = quantize(data.baseline, data, "float32", project)
    errors = per_layer_sqnr(float_tflite, quant_tflite, data.x_test[:LAYER_ERROR_WINDOWS])
    return [{"index": e.index, "op": e.op, "tensor": e.tensor,
             "sqnr_db": None if not np.isfinite(e.sqnr_db) else round(float(e.sqnr_db), 2)}
            for e in errors]


def optimize_project(project: ProjectData, techniques: list[str] | None = None, max_folds: int | None = None,
                     progress: Progress | None = None, measure_instructions: bool = True
                     ) -> OptimizeRun:
    """Build, score and measure every variant on every evaluated fold."""
    from microforge.optimize.baseline import prepare_fold

    if project.config.is_classical:
        from microforge.errors import ConfigError

        raise ConfigError(f"{project.config.project.name}: `optimize` builds variants of a "
                          "neural network (int8, QAT, pruning...); a classical model or "
                          "anomaly detector has none: `microforge run` trains it")
    started = time.perf_counter()
    chosen = check_techniques(techniques, project.config.optimize.techniques)
    folds = evaluated_folds(project, max_folds)
    results = {t: VariantResult(t, FORMATS[t]) for t in chosen}
    total, done = len(folds) * (1 + len(chosen)), 0
    train_seconds = 0.0

    def step(text: str) -> None:
        if progress is not None:
            progress(text, done, total)

    for i, fold in enumerate(folds):
        step(f"{fold.name}: training the baseline")
        data = prepare_fold(project, fold)
        train_seconds += data.train_seconds
        done += 1
        for technique in chosen:
            result = results[technique]
            step(f"{fold.name}: {technique}")
            if result.skipped is None:
                t0 = time.perf_counter()
                try:
                    build = build_variant(technique, project, data)
                except MicroforgeError as exc:  # e.g. a layer pruning cannot handle
                    result.skipped = str(exc)
                else:
                    scores = predict(build.tflite, data.x_test)
                    hits = np.argmax(scores, axis=-1) == data.y_test
                    result.fold_accuracy[fold.name] = float(np.mean(hits))
                    if i == 0:
                        result.params, result.note = build.params, build.note
                        result.cost = measure_cost(build.tflite, data.x_test[0],
                                                   measure_instructions)
                        if technique in LAYER_ERROR_TECHNIQUES:
                            result.layer_errors = layer_errors(project, data, build.tflite)
                result.seconds += time.perf_counter() - t0
            done += 1
    step("done")
    return OptimizeRun(project.config.project.name, [f.name for f in folds],
                       list(results.values()), train_seconds, time.perf_counter() - started)
