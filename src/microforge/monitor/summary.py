"""The summaries of a report period, computed exactly as runtime/monitor/mf_monitor.c does
(same integer arithmetic, same order), so a device's record and Python's are equal bit for
bit given the same int8 inputs and scores."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from microforge.monitor.spec import MonitorSpec

_U16 = 0xFFFF


def _round_div(a: int, b: int) -> int:
    """a / b rounded half away from zero (b > 0), as mf_monitor_div_round."""
    q = (abs(a) + b // 2) // b
    return q if a >= 0 else -q


def _trunc_div(a: int, b: int) -> int:
    """C99 integer division (toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


@dataclass
class Welford:
    """Fixed-point running mean/variance: mean Q16 (int32), m2 Q16 (uint64); see mf_monitor.h."""

    n: int = 0
    mean: int = 0
    m2: int = 0

    def update(self, x: int) -> None:
        xq = x * 65536
        d = xq - self.mean
        self.n += 1
        self.mean += _round_div(d, self.n)
        self.m2 += (d * (xq - self.mean)) >> 16

    @property
    def mean_q8(self) -> int:
        return _trunc_div(self.mean, 256)

    @property
    def var_q4(self) -> int:
        return min((self.m2 // self.n) // 4096, 0xFFFFFFFF) if self.n else 0


@dataclass
class Summary:
    """One report period's counters (what mf_monitor_state holds)."""

    spec: MonitorSpec
    windows: int = 0
    class_counts: list[int] = field(default_factory=list)
    conf_hist: list[int] = field(default_factory=list)
    margin_hist: list[int] = field(default_factory=list)
    feature_hist: list[list[int]] = field(default_factory=list)
    welford: list[Welford] = field(default_factory=list)
    sat_low: int = 0
    sat_high: int = 0
    latency_min: int = 0xFFFFFFFF
    latency_max: int = 0
    latency_sum: int = 0

    def __post_init__(self) -> None:
        if not self.class_counts:
            self.reset()

    def reset(self) -> None:
        s = self.spec
        self.windows, self.sat_low, self.sat_high = 0, 0, 0
        self.class_counts = [0] * s.n_classes
        self.conf_hist, self.margin_hist = [0] * s.conf_bins, [0] * s.margin_bins
        self.feature_hist = [[0] * s.feature_bins for _ in range(s.n_features)]
        self.welford = [Welford() for _ in range(s.n_features)]
        self.latency_min, self.latency_max, self.latency_sum = 0xFFFFFFFF, 0, 0

    def observe(self, inputs: np.ndarray, scores: np.ndarray, latency: int = 0) -> None:
        """One window: the model's int8 input (flat) and its int8 scores."""
        s = self.spec
        x = np.asarray(inputs, np.int8).reshape(-1)
        if x.size != s.n_inputs or np.asarray(scores).size != s.n_classes:
            raise ValueError(f"monitor: {x.size} inputs / {np.asarray(scores).size} scores; "
                             f"the spec has {s.n_inputs} / {s.n_classes}")
        self.sat_low += int(np.count_nonzero(x == -128))
        self.sat_high += int(np.count_nonzero(x == 127))
        per_group = x.astype(np.int64).reshape(-1, s.n_groups)
        sums = per_group.sum(axis=0)
        for f, g in enumerate(s.feature_groups):
            w = self.welford[f]
            for v in per_group[:, g].tolist():
                w.update(v)
            bin_ = int(np.searchsorted(s.feature_edges[f], sums[g], side="right"))
            _bump(self.feature_hist[f], bin_)
        q = np.asarray(scores, np.int8).reshape(-1).astype(np.int64)
        top = int(np.argmax(q))  # the first of equal maxima, as in C
        rest = np.delete(q, top)
        second = int(rest.max()) if rest.size else int(q[top])
        _bump(self.class_counts, top)
        _bump(self.conf_hist, int(np.searchsorted(s.conf_edges, q[top], side="right")))
        _bump(self.margin_hist,
              int(np.searchsorted(s.margin_edges, int(q[top]) - second, side="right")))
        self.windows += 1
        latency &= 0xFFFFFFFF
        self.latency_sum = (self.latency_sum + latency) & 0xFFFFFFFF
        self.latency_min = min(self.latency_min, latency)
        self.latency_max = max(self.latency_max, latency)

    def welford_values(self) -> list[int]:
        """The record's flat [mean_q8, var_q4] per feature."""
        out: list[int] = []
        for w in self.welford:
            out += [w.mean_q8, w.var_q4]
        return out

    def latency(self) -> list[int]:
        """The record's [min, mean, max]."""
        if not self.windows:
            return [0, 0, self.latency_max]
        return [self.latency_min, self.latency_sum // self.windows, self.latency_max]


def _bump(counts: list[int], index: int) -> None:
    if counts[index] < _U16:
        counts[index] += 1
