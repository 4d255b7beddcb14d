"""Detection metrics for centroid detectors (FOMO), as Edge Impulse reports them: a predicted
centroid is a true positive when a ground-truth centroid of the same class lies within
`distance` pixels and is not matched yet (closest pairs matched first); precision, recall and
F1 per class and over all classes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# one image's objects: (class index >= 1, x, y)
Points = Sequence[tuple[int, float, float]]


@dataclass(frozen=True)
class DetectionCounts:
    name: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"name": self.name, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True)
class DetectionMetrics:
    distance: float
    overall: DetectionCounts
    per_class: list[DetectionCounts]

    def to_dict(self) -> dict:
        return {"distance": self.distance, "overall": self.overall.to_dict(),
                "per_class": [c.to_dict() for c in self.per_class]}


def match_image(truth: Points, predicted: Points, distance: float) -> tuple[int, int, int, dict]:
    """(tp, fp, fn, {class: [tp, fp, fn]}) of one image."""
    per: dict[int, list[int]] = {}
    pairs = []
    for i, (lt, xt, yt) in enumerate(truth):
        for j, (lp, xp, yp) in enumerate(predicted):
            d = float(np.hypot(xt - xp, yt - yp))
            if lt == lp and d <= distance:
                pairs.append((d, i, j))
    used_t, used_p = set(), set()
    for _, i, j in sorted(pairs):
        if i not in used_t and j not in used_p:
            used_t.add(i)
            used_p.add(j)
            per.setdefault(truth[i][0], [0, 0, 0])[0] += 1
    for j, (label, *_) in enumerate(predicted):
        if j not in used_p:
            per.setdefault(label, [0, 0, 0])[1] += 1
    for i, (label, *_) in enumerate(truth):
        if i not in used_t:
            per.setdefault(label, [0, 0, 0])[2] += 1
    return len(used_t), len(predicted) - len(used_p), len(truth) - len(used_t), per


def evaluate_detections(truth: Sequence[Points], predicted: Sequence[Points],
                        class_names: Sequence[str], distance: float) -> DetectionMetrics:
    """Counts over every image; class_names[0] is the background (not reported)."""
    totals = {k: [0, 0, 0] for k in range(1, len(class_names))}
    for t, p in zip(truth, predicted, strict=True):
        for label, counts in match_image(t, p, distance)[3].items():
            totals[label] = [a + b for a, b in zip(totals[label], counts, strict=True)]
    per_class = [DetectionCounts(class_names[k], *totals[k]) for k in sorted(totals)]
    overall = DetectionCounts("all", *(sum(c[i] for c in totals.values()) for i in range(3)))
    return DetectionMetrics(float(distance), overall, per_class)
