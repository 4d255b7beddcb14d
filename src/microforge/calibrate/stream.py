"""A long test stream for a detector: real clips in a seeded random order, each followed by a
random-length stretch of a background (noise) recording, and where each clip is."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import DataError


@dataclass
class Placement:
    label: str
    start: int  # first sample of the clip in the stream
    length: int


@dataclass
class Stream:
    samples: np.ndarray  # (n, channels) float32
    placements: list[Placement]
    sample_rate: float

    @property
    def hours(self) -> float:
        return len(self.samples) / self.sample_rate / 3600


def build_stream(clips: list[tuple[str, np.ndarray]], backgrounds: list[np.ndarray],
                 sample_rate: float, seed: int = 0, gap_s: tuple[float, float] = (1.0, 2.0),
                 background_gain: float = 1.0) -> Stream:
    """`clips` (label, (n, channels) signal) shuffled by `seed`; between two clips a gap of
    gap_s seconds cut at a random offset from a random background (silence when none)."""
    if not clips:
        raise DataError("no clips to build a calibration stream from; check the split")
    rng = np.random.default_rng(seed)
    channels = clips[0][1].shape[1]
    parts, placements, at = [], [], 0
    for i in rng.permutation(len(clips)):
        label, clip = clips[i]
        clip = np.asarray(clip, np.float32).reshape(len(clip), channels)
        placements.append(Placement(label, at, len(clip)))
        gap = int(rng.uniform(*gap_s) * sample_rate)
        filler = np.zeros((gap, channels), np.float32)
        usable = [b for b in backgrounds if len(b) > gap]
        if usable:
            noise = usable[int(rng.integers(len(usable)))]
            offset = int(rng.integers(0, len(noise) - gap))
            filler = np.asarray(noise[offset:offset + gap], np.float32).reshape(gap, channels)
            filler = filler * np.float32(background_gain)
        parts += [clip, filler]
        at += len(clip) + gap
    return Stream(np.concatenate(parts), placements, float(sample_rate))
