"""Fold results -> the run's summary (printed by the CLI; rendered by microforge.report)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from microforge.pipeline.stages import FoldResult


@dataclass
class RunSummary:
    project: str
    results: list[FoldResult]
    seconds: float
    out_dir: Path | None = None
    report_files: list[str] = field(default_factory=list)

    @property
    def final(self) -> FoldResult:
        return self.results[-1]

    @property
    def evaluated(self) -> list[FoldResult]:
        """Results with a test set: the CV folds, or the single held-out split."""
        return [r for r in self.results if r.float_metrics is not None or r.int8_metrics is not None]

    def accuracy(self, kind: str) -> tuple[float, float] | None:
        """(mean, std) of float or int8 test accuracy over the evaluated folds."""
        values = [getattr(r, f"{kind}_metrics") for r in self.evaluated]
        values = [m.accuracy for m in values if m is not None]
        if not values:
            return None
        return float(np.mean(values)), float(np.std(values))

