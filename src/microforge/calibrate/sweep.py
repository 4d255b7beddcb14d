"""The post-processing sweep: per-window int8 scores of a stream computed once, then every
(average_windows, threshold, suppression_ms) decided on them with the arithmetic of
postprocess/decide.py (integer sums of q - zero_point over the last k windows, one float32
multiply, threshold, suppression), scored as false activations per hour against the false
rejection rate (a DET curve)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from microforge.calibrate.stream import Placement, Stream
from microforge.postprocess.params import PostprocessParams, ScoreQuant

AVERAGE_WINDOWS = (1, 2, 3, 4, 6)
THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(14))  # 0.3 .. 0.95
SUPPRESSIONS_MS = (0.0, 500.0, 1000.0, 1500.0)


@dataclass(frozen=True)
class WindowScores:
    scores: np.ndarray  # (windows, classes) int8 (int16 for a 16x8 network)
    ends: np.ndarray  # sample at which each window completed
    quant: ScoreQuant
    labels: list[str]
    sample_rate: float
    window: int  # samples per window


@dataclass(frozen=True)
class DetPoint:
    average_windows: int
    threshold: float
    suppression_ms: float
    false_rejection_rate: float
    false_activations_per_hour: float
    hits: int
    keywords: int
    false_activations: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Recorder:
    """An Int8Runner that keeps every output it gives (the pipeline's per-window scores)."""

    def __init__(self, runner) -> None:
        self.runner = runner
        self.input_size, self.output_size = runner.input_size, runner.output_size
        self.input_quant, self.output_quant = runner.input_quant, runner.output_quant
        self.outputs: list[np.ndarray] = []

    def __call__(self, x: np.ndarray) -> np.ndarray:
        out = self.runner(x)
        self.outputs.append(np.asarray(out).reshape(-1).copy())
        return out


def window_scores(block, model_bytes: bytes, labels: list[str], stride: int,
                  stream: Stream) -> WindowScores:
    """The model's int8 scores for every window of the stream, as the streaming pipeline
    (postprocess.StreamingPipeline, the same steps as the C) computes them."""
    from microforge.postprocess import StreamingPipeline
    from microforge.runners.model_runners import TflmRunner

    recorder = _Recorder(TflmRunner(model_bytes))
    pipeline = StreamingPipeline(block, recorder, labels, stride, PostprocessParams())
    decisions = pipeline.run(stream.samples)
    q = recorder.output_quant
    return WindowScores(np.stack(recorder.outputs).astype(q.dtype),
                        np.array([d.end_sample for d in decisions], np.int64),
                        ScoreQuant(float(q.scale), int(q.zero_point), q.bits), list(labels),
                        stream.sample_rate, int(block.fitted_geometry()[1]))


def detections(ws: WindowScores, params: PostprocessParams) -> list[tuple[int, str]]:
    """(end sample, label) of every detection, equal to PostProcessor's decisions."""
    k = params.average_windows
    rows = ws.scores.astype(np.int32) - np.int32(ws.quant.zero_point)
    csum = np.cumsum(np.vstack([np.zeros((1, rows.shape[1]), np.int64), rows]), axis=0)
    index = np.arange(1, len(rows) + 1)
    sums = (csum[index] - csum[np.maximum(index - k, 0)]).astype(np.int32)
    labels = np.argmax(sums, axis=1)
    counts = np.minimum(index, k)
    factors = params.score_factors(ws.quant)
    top = sums[np.arange(len(rows)), labels].astype(np.float32) * factors[counts - 1]
    ignore = params.ignore_flags(ws.labels).astype(bool)
    candidate = (~ignore[labels]) & (top >= params.threshold_f32())
    suppression = params.suppression_samples(ws.sample_rate)
    events, last = [], None
    for i in np.flatnonzero(candidate):
        end = int(ws.ends[i])
        if last is not None and (end - last) % 2**32 < suppression:
            continue
        last = end
        events.append((end, ws.labels[int(labels[i])]))
    return events


def score(events: list[tuple[int, str]], placements: Sequence[Placement],
          keywords: Sequence[str], window: int, hours: float,
          min_overlap: int) -> tuple[int, int, int]:
    """(hits, keyword clips, false activations): a keyword clip is hit by the first detection
    of its label whose window (end - window, end] overlaps it by `min_overlap` samples (or the
    whole clip if shorter); every other detection is a false activation."""
    hit = [False] * len(placements)
    false = 0
    for end, label in events:
        match = None
        for i, p in enumerate(placements):
            overlap = min(end, p.start + p.length) - max(end - window, p.start)
            if p.label == label and not hit[i] and overlap >= min(min_overlap, p.length):
                match = i
                break
        if match is None:
            false += 1
        else:
            hit[match] = True
    keyword_clips = sum(p.label in keywords for p in placements)
    return sum(hit), keyword_clips, false


def sweep(ws: WindowScores, stream: Stream, keywords: Sequence[str],
          ignore_labels: Sequence[str], grid: dict[str, Sequence[float]] | None = None
          ) -> list[DetPoint]:
    """A DetPoint for every combination of the grid (AVERAGE_WINDOWS x THRESHOLDS x
    SUPPRESSIONS_MS by default)."""
    grid = grid or {}
    points = []
    min_overlap = int(0.25 * ws.sample_rate)
    for k in grid.get("average_windows", AVERAGE_WINDOWS):
        for suppression in grid.get("suppression_ms", SUPPRESSIONS_MS):
            for threshold in grid.get("threshold", THRESHOLDS):
                params = PostprocessParams("detector", int(k), float(threshold),
                                           float(suppression), tuple(ignore_labels))
                hits, n, false = score(detections(ws, params), stream.placements, keywords,
                                       ws.window, stream.hours, min_overlap)
                points.append(DetPoint(int(k), float(threshold), float(suppression),
                                       1 - hits / n if n else 0.0, false / stream.hours,
                                       hits, n, false))
    return points


def choose(points: Sequence[DetPoint], target_per_hour: float) -> DetPoint | None:
    """The point with the lowest false rejection rate among those at or under the target
    false-activation rate (ties: fewer false activations, then the higher threshold)."""
    ok = [p for p in points if p.false_activations_per_hour <= target_per_hour]
    if not ok:
        return None
    return min(ok, key=lambda p: (p.false_rejection_rate, p.false_activations_per_hour,
                                  -p.threshold))


def det_curve(points: Sequence[DetPoint]) -> list[DetPoint]:
    """The lower envelope: for each false-activation rate, the lowest false rejection rate
    reached at or below it (sorted by false activations per hour)."""
    out: list[DetPoint] = []
    for p in sorted(points, key=lambda p: (p.false_activations_per_hour,
                                           p.false_rejection_rate)):
        if not out or p.false_rejection_rate < out[-1].false_rejection_rate:
            out.append(p)
    return out
