"""Cut recordings into fixed-length windows (ms, stride), padding or dropping short ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from microforge.data.recording import Dataset
from microforge.errors import DataError


@dataclass
class WindowSpec:
    window_ms: float
    stride_ms: float
    padding: Literal["zero", "edge", "drop"] = "zero"  # for recordings shorter than a window


@dataclass
class Windows:
    x: np.ndarray  # float32 (n, win_len, n_channels)
    y: np.ndarray  # int64 (n,)
    groups: np.ndarray  # str (n,)
    recording: np.ndarray  # int64 (n,), index into dataset.recordings
    start: np.ndarray  # int64 (n,), first sample of the window in its recording
    sample_rate: float = 0.0

    @property
    def length(self) -> int:
        return int(self.x.shape[1])


def window_samples(spec: WindowSpec, sample_rate: float) -> tuple[int, int]:
    """(window length, stride) in samples, both at least 1."""
    if spec.window_ms <= 0 or spec.stride_ms <= 0:
        raise DataError("windowing: window_ms and stride_ms must be > 0")
    if spec.padding not in ("zero", "edge", "drop"):
        raise DataError(f"windowing.padding: {spec.padding!r}; one of zero, edge, drop")
    length = max(1, int(round(spec.window_ms * sample_rate / 1000.0)))
    stride = max(1, int(round(spec.stride_ms * sample_rate / 1000.0)))
    return length, stride


def make_windows(dataset: Dataset, spec: WindowSpec) -> Windows:
    """Every full window of every recording (the tail shorter than a stride is dropped);
    recordings shorter than one window give one padded window, or none with padding "drop".
    Images (3-D signals) are not windowed: one window per image, x (n, height, width, channels)."""
    if dataset.recordings and all(r.signal.ndim == 3 for r in dataset.recordings):
        return image_windows(dataset)
    length, stride = window_samples(spec, dataset.sample_rate)
    labels = dataset.labels()
    parts, starts, owners = [], [], []
    for i, rec in enumerate(dataset.recordings):
        signal = rec.signal
        if len(signal) < length:
            if spec.padding == "drop":
                continue
            mode: Literal["constant", "edge"] = "constant" if spec.padding == "zero" else "edge"
            signal = np.pad(signal, ((0, length - len(signal)), (0, 0)), mode=mode)
        view = sliding_window_view(signal, length, axis=0)[::stride]  # (k, channels, length)
        parts.append(view.transpose(0, 2, 1))
        starts.append(np.arange(len(view), dtype=np.int64) * stride)
        owners.append(np.full(len(view), i, dtype=np.int64))
    if not parts:
        longest = max(r.duration_s for r in dataset.recordings) * 1000.0
        raise DataError(
            f"windowing.window_ms: {spec.window_ms:g} ms is longer than every recording "
            f"(longest {longest:.0f} ms) and padding is \"drop\"; use window_ms <= "
            f"{longest:.0f} or padding = \"zero\""
        )
    recording = np.concatenate(owners)
    channels = len(dataset.channel_names)
    x = np.empty((len(recording), length, channels), dtype=np.float32)
    offset = 0
    for part in parts:
        x[offset:offset + len(part)] = part
        offset += len(part)
    return Windows(
        x=x,
        y=labels[recording],
        groups=dataset.groups()[recording],
        recording=recording,
        start=np.concatenate(starts),
        sample_rate=float(dataset.sample_rate),
    )


def image_windows(dataset: Dataset) -> Windows:
    """Every image as one window (the [windowing] section does not apply to images)."""
    n = len(dataset.recordings)
    return Windows(
        x=np.stack([r.signal for r in dataset.recordings]).astype(np.float32, copy=False),
        y=dataset.labels(), groups=dataset.groups(), recording=np.arange(n, dtype=np.int64),
        start=np.zeros(n, dtype=np.int64), sample_rate=float(dataset.sample_rate),
    )
