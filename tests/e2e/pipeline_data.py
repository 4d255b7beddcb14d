"""Shared pieces of the pipeline tests: the MLPerf KWS pipeline and a long Speech Commands
recording (keyword clips with background noise between them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

KWS_LABELS = ["down", "go", "left", "no", "off", "on", "right", "stop", "up", "yes",
              "_silence_", "_unknown_"]  # the reference model's order (shared data README)
RATE = 16000


def kws_block():
    """The mlperf_kws MFCC preset, fitted to 1 s windows at 16 kHz (it learns no statistics)."""
    from microforge.dsp import mlperf_kws_preset

    return mlperf_kws_preset().fit(np.full((1, RATE, 1), 0.01, np.float32), RATE)


def kws_model(shared_data: Path) -> bytes:
    return (shared_data / "models/mlperf_kws/kws_ref_model.tflite").read_bytes()


@dataclass
class Placement:
    word: str
    start: int  # first sample of the clip in the recording
    length: int


def speech_recording(shared_data: Path, words: list[str], per_word: int, seed: int = 0,
                     gap_s: tuple[float, float] = (1.0, 2.0), noise_gain: float = 0.1
                     ) -> tuple[np.ndarray, list[Placement]]:
    """int16 PCM: `per_word` clips of each word in a seeded random order, each followed by a
    random-length stretch of a background-noise recording (scaled by noise_gain)."""
    import soundfile

    root = shared_data / "datasets/speech_commands_subset"
    rng = np.random.default_rng(seed)
    clips = [(w, p) for w in words for p in sorted((root / w).glob("*.wav"))[:per_word]]
    noises = [soundfile.read(p, dtype="int16")[0]
              for p in sorted((root / "_background_noise_").glob("*.wav"))]
    parts, placements, at = [], [], 0
    for i in rng.permutation(len(clips)):
        word, path = clips[i]
        audio, rate = soundfile.read(path, dtype="int16")
        assert rate == RATE
        placements.append(Placement(word, at, len(audio)))
        gap = int(rng.uniform(*gap_s) * RATE)
        noise = noises[rng.integers(len(noises))]
        offset = rng.integers(0, len(noise) - gap)
        filler = (noise[offset:offset + gap].astype(np.float32) * noise_gain).astype(np.int16)
        parts += [audio, filler]
        at += len(audio) + gap
    return np.concatenate(parts), placements


@dataclass
class DetectorScore:
    hits: int
    keywords: int
    false_alarms: int
    hours: float

    @property
    def hit_rate(self) -> float:
        return self.hits / self.keywords if self.keywords else 0.0


def score_detections(events: list[tuple[int, str]], placements: list[Placement],
                     keywords: list[str], window: int = RATE,
                     min_overlap: int = RATE // 4) -> DetectorScore:
    """A keyword clip is hit by the first detection of its word whose window
    (end - window, end] overlaps the clip by at least `min_overlap` samples (250 ms); every
    other detection (wrong word, a second detection of a clip, noise) is a false alarm."""
    hit = [False] * len(placements)
    false_alarms = 0
    for end, word in events:
        match = None
        for i, p in enumerate(placements):
            overlap = min(end, p.start + p.length) - max(end - window, p.start)
            if p.word == word and not hit[i] and overlap >= min(min_overlap, p.length):
                match = i
                break
        if match is None:
            false_alarms += 1
        else:
            hit[match] = True
    n_keywords = sum(p.word in keywords for p in placements)
    total = max(p.start + p.length for p in placements) if placements else 0
    return DetectorScore(sum(hit), n_keywords, false_alarms, total / RATE / 3600)
