"""Per-window decisions from the model's integer scores (int8, or int16 for a 16x8 network):
averaging, argmax, threshold, suppression.

Integer sums of (q - zero_point) over the last k windows, then one float32 multiply: the C
post-processing (`runtime/pipeline/mf_postprocess.c`) does the same operations, so a score
stream gives identical decisions in Python and in C.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import ConfigError
from microforge.postprocess.params import PostprocessParams, ScoreQuant


@dataclass(frozen=True)
class Decision:
    """What the pipeline decided for one completed window."""

    window: int  # index of the window since reset
    end_sample: int  # frames pushed when the window completed
    label: int  # top class of the averaged scores
    score: float  # its averaged score (float32 value)
    detected: bool  # argmax: always; detector: a new detection

    def time_s(self, sample_rate: float) -> float:
        return self.end_sample / sample_rate


class PostProcessor:
    """The post-processing state machine; `step` once per window, in order."""

    def __init__(self, params: PostprocessParams, labels: list[str], quant: ScoreQuant,
                 sample_rate: float) -> None:
        if not labels:
            raise ConfigError("post-processing needs at least one class label")
        self.params = params
        self.labels = list(labels)
        self.quant = quant
        self.factors = params.score_factors(quant)
        self.ignore = params.ignore_flags(self.labels).astype(bool)
        self.threshold = params.threshold_f32()
        self.suppression = params.suppression_samples(sample_rate)
        self.reset()

    def reset(self) -> None:
        k, n = self.params.average_windows, len(self.labels)
        self._history = np.zeros((k, n), dtype=np.int32)
        self._sums = np.zeros(n, dtype=np.int32)
        self._count = 0
        self._next = 0
        self._windows = 0
        self._last_detection: int | None = None

    def step(self, scores: np.ndarray, end_sample: int) -> Decision:
        """One window's integer scores (n_classes,) completed at `end_sample`."""
        row = np.asarray(scores).reshape(-1).astype(np.int32) - np.int32(self.quant.zero_point)
        if row.size != len(self.labels):
            raise ConfigError(f"the model gives {row.size} scores for {len(self.labels)} labels")
        k = self.params.average_windows
        if self._count >= k:
            self._sums -= self._history[self._next]
        self._history[self._next] = row
        self._sums += row
        self._next = (self._next + 1) % k
        self._count = min(self._count + 1, k)
        label = int(np.argmax(self._sums))  # the first of equal maxima, as in C
        score = np.float32(self._sums[label]) * self.factors[self._count - 1]
        detected = self.params.mode == "argmax" or self._is_detection(label, score, end_sample)
        decision = Decision(self._windows, int(end_sample), label, float(score), detected)
        self._windows += 1
        return decision

    def _is_detection(self, label: int, score: np.float32, end_sample: int) -> bool:
        if self.ignore[label] or not score >= self.threshold:
            return False
        last = self._last_detection
        if last is not None and (end_sample - last) % 2**32 < self.suppression:
            return False
        self._last_detection = int(end_sample)
        return True
