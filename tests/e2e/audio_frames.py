"""The 30 ms audio frames TFLM's micro_speech example feeds its audio preprocessor: 480
samples of the 16 kHz int16 test clip every 20 ms (49 frames per second of audio), the
preprocessor reset at the start of each clip (its noise estimate is state)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

FOLDER = "models/tflm_micro_speech"
CLIPS = ("yes_1000ms.wav", "no_1000ms.wav", "noise_1000ms.wav", "silence_1000ms.wav")
SHORT_CLIPS = ("yes_30ms.wav", "no_30ms.wav")
FRAME, STRIDE = 480, 320
# micro_speech_quantized's output order (the example's get_category_names)
LABELS = ("silence", "unknown", "yes", "no")
FEATURES = (49, 40)


def clip_samples(shared_data: Path, clip: str) -> np.ndarray:
    with wave.open(str(shared_data / FOLDER / clip)) as w:
        assert w.getframerate() == 16000 and w.getsampwidth() == 2 and w.getnchannels() == 1
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.int16)


def clip_frames(shared_data: Path, clip: str) -> list[np.ndarray]:
    """The clip's frames, each shaped (1, 480) as the preprocessor's input."""
    samples = clip_samples(shared_data, clip)
    return [samples[start:start + FRAME].reshape(1, FRAME)
            for start in range(0, len(samples) - FRAME + 1, STRIDE)]
