"""ReportData: every figure of a run, JSON-ready through `to_dict()` (that is report.json)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from microforge.runners.tflm import ArenaSize
from microforge.targets.boards import Fit
from microforge.train.metrics import Metrics


@dataclass
class FoldFigures:
    name: str
    n_test: int = 0
    test_groups: list[str] = field(default_factory=list)
    float_accuracy: float | None = None
    int8_accuracy: float | None = None
    epochs_run: int = 0
    train_seconds: float = 0.0


@dataclass
class BoardFitRow:
    board_id: str
    board_name: str
    fit: Fit
    estimate_only: bool = False


@dataclass
class ReportData:
    project: str
    dataset: dict[str, Any] = field(default_factory=dict)  # JSON-ready summary (classes, counts)
    float_metrics: Metrics | None = None
    int8_metrics: Metrics | None = None
    float_tflite_bytes: int = 0
    int8_tflite_bytes: int = 0
    params: int = 0
    macs: int | None = None
    arena: ArenaSize | None = None
    board_fits: list[BoardFitRow] = field(default_factory=list)
    folds: list[FoldFigures] = field(default_factory=list)  # cross-validation folds, if any
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    extra: dict[str, Any] = field(default_factory=dict)  # other JSON-ready figures (config...)
    # `microforge optimize`: JSON-ready trade-off section (optimize/tradeoff.py), if any
    optimization: dict[str, Any] | None = None

    def accuracy_over_folds(self, kind: str) -> dict[str, float] | None:
        """{'mean', 'std', 'n'} of the folds' float or int8 accuracy; None without folds."""
        values = [getattr(f, f"{kind}_accuracy") for f in self.folds]
        values = [v for v in values if v is not None]
        if not values:
            return None
        return {"mean": float(np.mean(values)), "std": float(np.std(values)), "n": len(values)}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "project": self.project,
            "dataset": self.dataset,
            "float": self.float_metrics.to_dict() if self.float_metrics else None,
            "int8": self.int8_metrics.to_dict() if self.int8_metrics else None,
            "model": {
                "parameters": self.params,
                "macs": self.macs,
                "float_tflite_bytes": self.float_tflite_bytes,
                "int8_tflite_bytes": self.int8_tflite_bytes,
            },
            "tflm_arena": (
                {"total": self.arena.total, "head": self.arena.head, "tail": self.arena.tail}
                if self.arena
                else None
            ),
            "boards": [
                {"board": row.board_id, "name": row.board_name, "estimate_only": row.estimate_only}
                | row.fit.to_dict()
                for row in self.board_fits
            ],
            "folds": [vars(f) | {"test_groups": list(f.test_groups)} for f in self.folds],
            "cross_validation": {
                kind: self.accuracy_over_folds(kind) for kind in ("float", "int8")
            },
            "timings": {k: round(float(v), 3) for k, v in self.timings.items()},
        }
        if self.float_metrics and self.int8_metrics:
            out["int8_accuracy_drop"] = self.float_metrics.accuracy - self.int8_metrics.accuracy
        if self.optimization is not None:
            out["optimization"] = self.optimization
        out.update({k: v for k, v in self.extra.items() if k not in out})
        return out
