"""MFE: log-mel filterbank energies of 1-channel audio, output (n_frames, n_mels)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from microforge.dsp.base import DspBlock
from microforge.dsp.mel import mel_filterbank
from microforge.dsp.params import require
from microforge.dsp.registry import register
from microforge.dsp.spectrogram import Spectrogram, SpectrogramParams


@dataclass(frozen=True)
class MfeParams(SpectrogramParams):
    n_mels: int = 40
    fmin: float = 20.0  # Hz, lower edge of the first mel triangle
    fmax: float | None = None  # Hz, upper edge of the last triangle; None: sample_rate / 2
    log_floor: float = 1e-6  # log(mel + floor) ("add") or log(max(mel, floor)) ("clamp")
    log_mode: Literal["add", "clamp"] = "add"
    normalize: bool = False  # per-mel-bin standardisation fitted on training windows

    def __post_init__(self) -> None:
        super().__post_init__()
        require(self.n_mels >= 1, "n_mels", f"must be >= 1 (got {self.n_mels})")
        require(self.fmin >= 0, "fmin", f"must be >= 0 Hz (got {self.fmin})")
        if self.fmax is not None:
            require(self.fmax > self.fmin, "fmax", f"must be > fmin = {self.fmin} Hz")
        require(self.log_floor > 0, "log_floor", f"must be > 0 (got {self.log_floor})")


@register
class MfeBlock(DspBlock):
    """Frames -> window -> |rfft| (or power) -> mel filterbank -> log."""

    name = "mfe"
    params_class = MfeParams
    params: MfeParams

    def __init__(self, params: MfeParams | None = None) -> None:
        super().__init__(params)
        self.spectrogram: Spectrogram | None = None
        self.mel_weights: np.ndarray | None = None

    def feature_shape(
        self, win_len: int, n_channels: int, sample_rate: float | None = None
    ) -> tuple[int, ...]:
        spec = Spectrogram.build(self.params, self._rate(sample_rate), win_len, n_channels)
        return (spec.n_frames, self._n_outputs())

    def tables(self) -> dict[str, np.ndarray]:
        """Window (frame_length,), mel weights (n_bins, n_mels), feature mean/std if normalised."""
        tables = super().tables()
        spectrogram, mel_weights = self._fitted_tables()
        return {"window": spectrogram.window, "mel_weights": mel_weights, **tables}

    def _n_outputs(self) -> int:
        return self.params.n_mels

    def _fitted_tables(self) -> tuple[Spectrogram, np.ndarray]:
        """The spectrogram and mel weights `_check_geometry` built; RuntimeError before fit."""
        self._require_fitted()
        assert self.spectrogram is not None and self.mel_weights is not None, \
            "a fitted block has passed _check_geometry"
        return self.spectrogram, self.mel_weights

    def _check_geometry(self) -> None:
        p, (rate, win_len, n_channels) = self.params, self.fitted_geometry()
        self.spectrogram = spectrogram = Spectrogram.build(p, rate, win_len, n_channels)
        fmax = rate / 2 if p.fmax is None else p.fmax
        require(
            fmax <= rate / 2,
            "fmax",
            f"{fmax} Hz is above the Nyquist frequency {rate / 2} Hz; lower it",
        )
        require(p.fmin < fmax, "fmin", f"{p.fmin} Hz must be below fmax = {fmax} Hz")
        self.mel_weights = mel_weights = mel_filterbank(
            p.n_mels, spectrogram.n_bins, rate, p.fmin, fmax
        )
        empty = np.flatnonzero(mel_weights.max(axis=0) <= 0)
        require(
            empty.size == 0,
            "n_mels",
            f"mel band {empty[0] if empty.size else ''} holds no FFT bin "
            f"({rate / spectrogram.fft_length:g} Hz resolution); "
            "use fewer mel bands, a wider fmin..fmax or a larger fft_length",
        )

    def _log_mel(self, x: np.ndarray) -> np.ndarray:
        """(n, win_len, n_channels) -> float64 (n, n_frames, n_mels)."""
        spectrogram, mel_weights = self._fitted_tables()
        mel = spectrogram.compute(x) @ mel_weights
        if self.params.log_mode == "add":
            return np.log(mel + self.params.log_floor)
        return np.log(np.maximum(mel, self.params.log_floor))

    def _unnormalized(self, x: np.ndarray) -> np.ndarray:
        return self._log_mel(x)
