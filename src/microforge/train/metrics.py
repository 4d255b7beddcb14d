"""Classification metrics (numpy only): accuracy, per-class precision/recall/F1, confusion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from microforge.errors import DataError


@dataclass(frozen=True)
class ClassMetrics:
    name: str
    precision: float
    recall: float
    f1: float
    support: int  # true samples of this class

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "support": self.support,
        }


@dataclass(frozen=True)
class Metrics:
    accuracy: float
    per_class: list[ClassMetrics]
    confusion: np.ndarray  # [true, predicted] counts, int64
    class_names: list[str]

    @property
    def n_samples(self) -> int:
        return int(self.confusion.sum())

    @property
    def macro_f1(self) -> float:
        """Unweighted mean F1 over the classes that have samples or predictions."""
        present = [
            c.f1
            for i, c in enumerate(self.per_class)
            if self.confusion[i, :].sum() or self.confusion[:, i].sum()
        ]
        return float(np.mean(present)) if present else 0.0

    def to_dict(self) -> dict:
        return {
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "n_samples": self.n_samples,
            "class_names": list(self.class_names),
            "per_class": [c.to_dict() for c in self.per_class],
            "confusion": self.confusion.tolist(),
        }


def evaluate(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, class_names: Sequence[str]) -> Metrics:
    """Metrics of integer label predictions `y_pred` against `y_true`."""
    names = [str(n) for n in class_names]
    true = np.asarray(y_true).reshape(-1)
    pred = np.asarray(y_pred).reshape(-1)
    if true.shape != pred.shape:
        raise DataError(f"labels and predictions differ in length: {true.size} vs {pred.size}")
    if true.size == 0:
        raise DataError("no samples to evaluate: the test set is empty")
    for what, values in (("labels", true), ("predictions", pred)):
        if not np.issubdtype(values.dtype, np.integer):
            raise DataError(f"{what} must be integer class indices, got {values.dtype}")
        if values.min() < 0 or values.max() >= len(names):
            raise DataError(
                f"{what} hold class index {int(values.max())} but there are {len(names)} classes"
            )
    confusion = np.zeros((len(names), len(names)), dtype=np.int64)
    np.add.at(confusion, (true, pred), 1)
    return metrics_from_confusion(confusion, names)


def metrics_from_confusion(confusion: np.ndarray, class_names: Sequence[str]) -> Metrics:
    """Metrics from a [true, predicted] count matrix (e.g. summed over cross-validation folds)."""
    confusion = np.asarray(confusion, dtype=np.int64)
    names = [str(n) for n in class_names]
    if confusion.shape != (len(names), len(names)):
        raise DataError(f"confusion matrix {confusion.shape} does not match {len(names)} classes")
    total = int(confusion.sum())
    tp = np.diag(confusion).astype(np.float64)
    predicted = confusion.sum(axis=0).astype(np.float64)
    support = confusion.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    per_class = [
        ClassMetrics(name, float(p), float(r), float(f), int(s))
        for name, p, r, f, s in zip(names, precision, recall, f1, support, strict=True)
    ]
    accuracy = float(tp.sum() / total) if total else 0.0
    return Metrics(accuracy, per_class, confusion, names)


def combine(metrics: Sequence[Metrics]) -> Metrics:
    """Pooled metrics of several evaluations (cross-validation folds): confusions summed."""
    if not metrics:
        raise DataError("no evaluations to combine")
    names = metrics[0].class_names
    if any(m.class_names != names for m in metrics):
        raise DataError("cannot combine metrics over different class lists")
    return metrics_from_confusion(np.sum([m.confusion for m in metrics], axis=0), names)
