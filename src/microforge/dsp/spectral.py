"""Spectral features per axis for IMU / vibration windows (Edge-Impulse-like), a flat vector.

Per channel, in this order: the chosen statistics, then (frequency Hz, amplitude) of the
n_peaks highest spectral peaks, then the energy of each frequency band.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from microforge.dsp.base import DspBlock
from microforge.dsp.filters import apply_sos, butterworth_sos
from microforge.dsp.framing import is_power_of_two, next_power_of_two
from microforge.dsp.params import require
from microforge.dsp.registry import register
from microforge.dsp.spectral_features import (
    STATISTICS,
    band_masks,
    spectra,
    statistics,
    top_peaks,
)
from microforge.dsp.windows import WindowName, window


@dataclass(frozen=True)
class SpectralParams:
    scale: float = 1.0  # multiplies the samples first
    filter_type: Literal["none", "low", "high"] = "none"
    filter_cutoff_hz: float | None = None  # needed when filter_type is "low" or "high"
    filter_order: int = 4  # Butterworth order (sections of 2 in C)
    statistics: tuple[str, ...] = STATISTICS  # any of rms, mean, std, skewness, kurtosis
    remove_mean: bool = True  # subtract the window mean before the FFT
    fft_length: int | None = None  # power of two; None: next power of two >= window length
    window: WindowName = "hann"
    n_peaks: int = 3
    band_edges_hz: tuple[float, ...] | None = None  # ascending; None: n_bands equal bands
    n_bands: int = 8  # equal-width bands 0..Nyquist when band_edges_hz is None
    band_scale: Literal["log", "linear"] = "log"  # log: ln(energy + log_floor)
    log_floor: float = 1e-10
    normalize: bool = True  # per-feature standardisation fitted on training windows

    def __post_init__(self) -> None:
        require(np.isfinite(self.scale) and self.scale != 0, "scale", "must be a non-zero number")
        if self.filter_type != "none":
            require(
                self.filter_cutoff_hz is not None and self.filter_cutoff_hz > 0,
                "filter_cutoff_hz",
                f"must be a frequency > 0 Hz for a {self.filter_type}-pass filter",
            )
        require(1 <= self.filter_order <= 10, "filter_order", "must be 1..10")
        unknown = [s for s in self.statistics if s not in STATISTICS]
        require(not unknown, "statistics", f"unknown {unknown}; choose from {list(STATISTICS)}")
        require(
            len(set(self.statistics)) == len(self.statistics), "statistics", "has duplicates"
        )
        if self.fft_length is not None:
            require(
                is_power_of_two(self.fft_length) and self.fft_length >= 4,
                "fft_length",
                f"must be a power of two >= 4 (got {self.fft_length})",
            )
        require(0 <= self.n_peaks <= 32, "n_peaks", f"must be 0..32 (got {self.n_peaks})")
        if self.band_edges_hz is not None:
            edges = self.band_edges_hz
            require(len(edges) >= 2, "band_edges_hz", "needs at least 2 edges (one band)")
            require(edges[0] >= 0, "band_edges_hz", "must start at >= 0 Hz")
            require(
                all(a < b for a, b in zip(edges[:-1], edges[1:], strict=True)),
                "band_edges_hz",
                "must be strictly ascending",
            )
        require(0 <= self.n_bands <= 256, "n_bands", f"must be 0..256 (got {self.n_bands})")
        require(self.log_floor > 0, "log_floor", "must be > 0")
        require(
            bool(self.statistics or self.n_peaks or self._has_bands()),
            "statistics",
            "no features left: keep a statistic, a peak or a band",
        )

    def _has_bands(self) -> bool:
        return self.band_edges_hz is not None or self.n_bands > 0


@register
class SpectralBlock(DspBlock):
    """Output (n_channels * features_per_channel,), see the module docstring for the order."""

    name = "spectral"
    params_class = SpectralParams
    params: SpectralParams

    def __init__(self, params: SpectralParams | None = None) -> None:
        super().__init__(params)
        self.sos: np.ndarray | None = None  # the fitted filter, (n_sections, 6)
        self.band_masks = np.zeros((0, 0))  # (n_bands, n_bins) 0/1, set by fit

    def fft_length_for(self, win_len: int) -> int:
        p = self.params
        return next_power_of_two(max(win_len, 4)) if p.fft_length is None else p.fft_length

    def band_edges(self, sample_rate: float) -> tuple[float, ...]:
        p = self.params
        if p.band_edges_hz is not None:
            return p.band_edges_hz
        if p.n_bands == 0:
            return ()
        return tuple(float(f) for f in np.linspace(0.0, sample_rate / 2, p.n_bands + 1))

    def features_per_channel(self) -> int:
        p = self.params
        n_bands = len(p.band_edges_hz) - 1 if p.band_edges_hz is not None else p.n_bands
        return len(p.statistics) + 2 * p.n_peaks + n_bands

    def feature_shape(
        self, win_len: int, n_channels: int, sample_rate: float | None = None
    ) -> tuple[int, ...]:
        return (int(n_channels) * self.features_per_channel(),)

    def feature_names(self, channel_names: list[str] | None = None) -> list[str]:
        """One name per output feature, e.g. "ch0_rms", "ch0_peak1_hz", "ch0_band_0-25hz"."""
        rate, _, n_channels = self.fitted_geometry()
        names = channel_names or [f"ch{i}" for i in range(n_channels)]
        edges = self.band_edges(rate)
        out = []
        for ch in names:
            out += [f"{ch}_{s}" for s in self.params.statistics]
            for i in range(1, self.params.n_peaks + 1):
                out += [f"{ch}_peak{i}_hz", f"{ch}_peak{i}_amplitude"]
            out += [f"{ch}_band_{lo:g}-{hi:g}hz" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
        return out

    def tables(self) -> dict[str, np.ndarray]:
        """FFT window, filter SOS (n_sections, 6) if any, band masks (n_bands, n_bins),
        feature mean/std if normalised."""
        fft_length = self.fft_length_for(self.win_len or 0)
        tables = {"window": window(self.params.window, min(fft_length, self.win_len or 0))}
        if self.sos is not None:
            tables["sos"] = self.sos
        return {**tables, "band_masks": self.band_masks, **super().tables()}

    def _check_geometry(self) -> None:
        p, (rate, win_len, _) = self.params, self.fitted_geometry()
        nyquist = rate / 2
        self.sos = None
        if p.filter_type != "none":
            assert p.filter_cutoff_hz is not None, "SpectralParams checks the cutoff of a filter"
            require(
                p.filter_cutoff_hz < nyquist,
                "filter_cutoff_hz",
                f"{p.filter_cutoff_hz} Hz must be below the Nyquist frequency {nyquist} Hz",
            )
            self.sos = butterworth_sos(p.filter_type, p.filter_order, p.filter_cutoff_hz, rate)
        fft_length = self.fft_length_for(win_len)
        bin_hz = rate / fft_length
        edges = self.band_edges(rate)
        if p.band_edges_hz is not None:
            require(
                edges[-1] <= nyquist,
                "band_edges_hz",
                f"last edge {edges[-1]} Hz is above the Nyquist frequency {nyquist} Hz",
            )
        self.band_masks = band_masks(edges, fft_length // 2 + 1, bin_hz)
        empty = [i for i, m in enumerate(self.band_masks) if not m.any()]
        require(
            not empty,
            "band_edges_hz" if p.band_edges_hz is not None else "n_bands",
            f"band {empty[0] if empty else ''} holds no FFT bin at {bin_hz:g} Hz resolution; "
            "use wider bands or a larger fft_length",
        )

    def _unnormalized(self, x: np.ndarray) -> np.ndarray:
        p, (rate, win_len, _) = self.params, self.fitted_geometry()
        signal = x.astype(np.float64) * p.scale
        if self.sos is not None:
            signal = apply_sos(self.sos, signal, axis=1)
        parts = [statistics(signal, p.statistics)] if p.statistics else []
        if p.n_peaks or len(self.band_masks):
            if p.remove_mean:
                signal = signal - signal.mean(axis=1, keepdims=True)
            fft_length = self.fft_length_for(win_len)
            amplitude, power = spectra(signal, fft_length, p.window)
            if p.n_peaks:
                peaks = top_peaks(amplitude, rate / fft_length, p.n_peaks)
                parts.append(peaks.reshape(*peaks.shape[:2], -1))
            if len(self.band_masks):
                energy = power @ self.band_masks.T
                parts.append(np.log(energy + p.log_floor) if p.band_scale == "log" else energy)
        features = np.concatenate(parts, axis=-1)  # (n, c, per_channel)
        return features.reshape(features.shape[0], -1)
