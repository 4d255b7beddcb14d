"""Post-processing parameters and the constants derived from them (shared by Python and C)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from microforge.errors import ConfigError


@dataclass(frozen=True)
class ScoreQuant:
    """How a model's integer input or output maps to real values: (q - zero_point) * scale;
    `bits` 8 (int8) or 16 (int16: a 16x8 network, TFLite's int16 activations)."""

    scale: float
    zero_point: int
    bits: int = 8

    def __post_init__(self) -> None:
        if self.bits not in (8, 16):
            raise ConfigError(f"quantized values of {self.bits} bits; int8 or int16 only")

    @property
    def dtype(self) -> type[np.signedinteger]:
        return np.int16 if self.bits == 16 else np.int8

    @property
    def c_type(self) -> str:
        return "int16_t" if self.bits == 16 else "int8_t"

    @property
    def bytes(self) -> int:
        return self.bits // 8


@dataclass(frozen=True)
class PostprocessParams:
    """argmax: every window is a decision. detector: a window is a detection when the top
    averaged score is not an ignored label, reaches `threshold`, and no detection happened in
    the last `suppression_ms`."""

    mode: Literal["argmax", "detector"] = "argmax"
    average_windows: int = 1  # posterior averaging over the last k windows
    threshold: float = 0.0
    suppression_ms: float = 0.0
    ignore_labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.mode not in ("argmax", "detector"):
            raise ConfigError(f"postprocess.mode: {self.mode!r}; one of argmax, detector")
        if not 1 <= self.average_windows <= 64:
            raise ConfigError("postprocess.average_windows: must be 1..64 "
                              f"(got {self.average_windows})")
        if not 0.0 <= self.threshold <= 1.0:
            raise ConfigError(f"postprocess.threshold: must be 0..1 (got {self.threshold})")
        if not (self.suppression_ms >= 0 and math.isfinite(self.suppression_ms)):
            raise ConfigError(f"postprocess.suppression_ms: must be >= 0 (got "
                              f"{self.suppression_ms})")

    @classmethod
    def from_config(cls, section) -> PostprocessParams:
        """From the `[postprocess]` section of microforge.toml (config.PostprocessSection)."""
        return cls(section.mode, section.average_windows, section.threshold,
                   section.suppression_ms, tuple(section.ignore_labels))

    # -- constants computed once, used identically by the Python and the C post-processing --
    def suppression_samples(self, sample_rate: float) -> int:
        """suppression_ms in samples, rounded half up."""
        return int(math.floor(self.suppression_ms * sample_rate / 1000.0 + 0.5))

    def score_factors(self, quant: ScoreQuant) -> np.ndarray:
        """float32 scale / n for n = 1..k: the averaged score is float32(sum) * factor[n-1]."""
        n = np.arange(1, self.average_windows + 1, dtype=np.float64)
        return (quant.scale / n).astype(np.float32)

    def ignore_flags(self, labels: list[str]) -> np.ndarray:
        """uint8 per class: 1 when the detector must not report that class."""
        return np.array([label in self.ignore_labels for label in labels], dtype=np.uint8)

    def threshold_f32(self) -> np.float32:
        return np.float32(self.threshold)
