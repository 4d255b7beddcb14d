"""Raw samples: the window itself, optionally standardised per channel (fitted on train)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.dsp.base import DspBlock
from microforge.dsp.params import require
from microforge.dsp.registry import register
from microforge.dsp.standardize import Standardizer


@dataclass(frozen=True)
class RawParams:
    normalize: bool = False  # per-channel (x - mean) / std, mean and std from training windows
    scale: float = 1.0  # multiplies the (normalised) samples

    def __post_init__(self) -> None:
        require(np.isfinite(self.scale) and self.scale != 0, "scale", "must be a non-zero number")


@register
class RawBlock(DspBlock):
    """Output (win_len, n_channels): samples, per-channel standardised if asked, times scale."""

    name = "raw"
    params_class = RawParams
    params: RawParams

    def feature_shape(
        self, win_len: int, n_channels: int, sample_rate: float | None = None
    ) -> tuple[int, ...]:
        return (int(win_len), int(n_channels))

    def _fit_statistics(self, x: np.ndarray) -> None:
        self.standardizer = Standardizer.fit(x) if self.params.normalize else None

    def _unnormalized(self, x: np.ndarray) -> np.ndarray:
        return x

    def _features(self, x: np.ndarray) -> np.ndarray:
        y = self.standardizer.apply(x) if self.standardizer is not None else x
        return y * np.float32(self.params.scale)
