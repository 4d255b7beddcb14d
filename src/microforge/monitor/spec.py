"""What the device's monitor fixes at compile time (MonitorSpec), shared by the C emitter,
the Python summaries, the telemetry codec and the drift statistics.

Every edge is an integer on a value the device computes exactly in int8/int32 arithmetic:
feature edges on the per-window sum of a group's int8 inputs, confidence edges on the top-1
int8 score, margin edges on top-1 - top-2 (int8 units).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from microforge.errors import ConfigError
from microforge.postprocess.params import ScoreQuant

TINY_LIMIT = 64  # bytes: a LoRa-class payload
FULL_TAG, TINY_TAG = 16, 8  # bytes of the keyed BLAKE2b tag per form
FORM_FULL, FORM_TINY = 1, 2


@dataclass(frozen=True)
class MonitorSpec:
    n_inputs: int
    n_groups: int  # input element i is in group i % n_groups
    feature_groups: tuple[int, ...]  # the monitored groups, in record order
    feature_edges: tuple[tuple[int, ...], ...]  # per feature, feature_bins - 1 ascending edges
    n_classes: int
    conf_edges: tuple[int, ...]  # on the top-1 int8 score
    margin_edges: tuple[int, ...]  # on top-1 - top-2
    model_id: int  # uint32: first 4 bytes (big-endian) of the int8 model's SHA-256
    model_version: int
    period_windows: int

    def __post_init__(self) -> None:
        if not 1 <= self.n_groups <= 255 or self.n_inputs % self.n_groups:
            raise ConfigError(f"monitor: {self.n_inputs} inputs are not whole groups of "
                              f"{self.n_groups} (1..255)")
        if not self.feature_groups or len(set(self.feature_groups)) != len(self.feature_groups):
            raise ConfigError("monitor: the monitored feature groups must be distinct, >= 1")
        if any(not 0 <= g < self.n_groups for g in self.feature_groups) or \
                len(self.feature_groups) > 127:
            raise ConfigError("monitor: a monitored group is out of range")
        if len(self.feature_edges) != len(self.feature_groups) or \
                len({len(e) for e in self.feature_edges}) != 1:
            raise ConfigError("monitor: one list of feature edges per monitored group, "
                              "all of the same length")
        for what, edges in (("confidence", self.conf_edges), ("margin", self.margin_edges),
                            *(("feature", e) for e in self.feature_edges)):
            if list(edges) != sorted(edges) or len(edges) < 1:
                raise ConfigError(f"monitor: {what} edges must be ascending, at least one")
        if not 1 <= self.n_classes <= 255 or not 0 <= self.model_id < 2**32:
            raise ConfigError("monitor: 1..255 classes and a 32-bit model id")

    @property
    def n_features(self) -> int:
        return len(self.feature_groups)

    @property
    def feature_bins(self) -> int:
        return len(self.feature_edges[0]) + 1

    @property
    def conf_bins(self) -> int:
        return len(self.conf_edges) + 1

    @property
    def margin_bins(self) -> int:
        return len(self.margin_edges) + 1

    def max_record_bytes(self, form: int) -> int:
        """The largest record of a period of `period_windows` windows (any ids, seq < 2**32)."""
        w = self.period_windows
        sat = _uint(w * self.n_inputs)
        head = 1 + 1 + 5 + 5 + _uint(self.model_version) + 5 + _uint(w)
        hists = _hist(self.n_classes, w) + _hist(self.conf_bins, w)
        latency = 5
        if form == FORM_TINY:
            return head + hists + 1 + 2 * sat + latency + 1 + TINY_TAG
        hists += _hist(self.margin_bins, w)
        features = _uint(self.n_features) + self.n_features * _hist(self.feature_bins, w)
        welford = _uint(2 * self.n_features) + self.n_features * (3 + 5)
        return head + hists + 1 + 2 * sat + 1 + 3 * latency + features + welford + 1 + FULL_TAG

    def check_tiny(self) -> None:
        size = self.max_record_bytes(FORM_TINY)
        if size > TINY_LIMIT:
            raise ConfigError(f"monitor: the tiny record can reach {size} B (> {TINY_LIMIT}); "
                              "use fewer monitor.confidence_edges or a shorter "
                              "monitor.period_windows")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MonitorSpec:
        try:
            return cls(
                n_inputs=int(data["n_inputs"]), n_groups=int(data["n_groups"]),
                feature_groups=tuple(int(g) for g in data["feature_groups"]),
                feature_edges=tuple(tuple(int(v) for v in e) for e in data["feature_edges"]),
                n_classes=int(data["n_classes"]),
                conf_edges=tuple(int(v) for v in data["conf_edges"]),
                margin_edges=tuple(int(v) for v in data["margin_edges"]),
                model_id=int(data["model_id"]), model_version=int(data["model_version"]),
                period_windows=int(data["period_windows"]))
        except (KeyError, TypeError, ValueError) as e:
            raise ConfigError(f"monitor spec: bad or missing field ({e}); regenerate it") from None


def _uint(value: int) -> int:
    """Bytes of the shortest CBOR unsigned integer <= value's size class."""
    return 1 if value < 24 else 2 if value < 256 else 3 if value < 65536 else 5


def _hist(bins: int, windows: int) -> int:
    """Worst case bytes of a CBOR array of `bins` counts summing to <= windows."""
    big = min(bins, windows // 24)  # counts >= 24 (2+ bytes each)
    return _uint(bins) + (bins - big) + big * _uint(min(windows, 65535))


def confidence_edges(probabilities: list[float], quant: ScoreQuant) -> tuple[int, ...]:
    """The smallest int8 score q whose probability (q - zp) * scale is >= p, per edge p."""
    out = []
    for p in probabilities:
        q = math.ceil(p / quant.scale + quant.zero_point - 1e-9)
        out.append(int(min(max(q, -128), 128)))
    return tuple(out)


def margin_edges(probabilities: list[float], quant: ScoreQuant) -> tuple[int, ...]:
    """The smallest int8 margin m whose probability difference m * scale is >= p."""
    return tuple(int(min(max(math.ceil(p / quant.scale - 1e-9), 0), 256)) for p in probabilities)


def quantile_edges(sums: np.ndarray, bins: int) -> tuple[int, ...]:
    """Integer edges at the training quantiles k / bins (k = 1..bins-1) of a group's sums."""
    qs = np.quantile(np.asarray(sums, np.float64), np.arange(1, bins) / bins)
    return tuple(int(v) for v in np.maximum.accumulate(np.ceil(qs)))


def group_sums(inputs: np.ndarray, n_groups: int) -> np.ndarray:
    """(windows, n_inputs) int8 -> (windows, n_groups) int64 sums over each group."""
    x = np.asarray(inputs, np.int64)
    return x.reshape(len(x), -1, n_groups).sum(axis=1)


def input_groups(feature_shape: tuple[int, ...]) -> int:
    """The innermost axis of the DSP feature layout longer than 1 (channels, coefficients)."""
    for size in reversed(feature_shape):
        if size > 1:
            return int(size)
    return 1
