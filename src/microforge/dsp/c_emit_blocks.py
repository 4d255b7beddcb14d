"""Per-block C emission: the contexts the templates in dsp/templates need, from a fitted block.

Every number comes from the block object used in training (window, mel weights, DCT,
standardiser...); nothing is recomputed from parameters on a different path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from microforge.dsp.c_emit import (
    FIXED_KERNELS,
    FLOAT_KERNELS,
    SPECTRAL_KERNELS,
    DspC,
    emit_files,
    require_power_of_two,
    sparse_rows,
    standardizer_tables,
    to_q31,
    twiddle_table,
)
from microforge.errors import ConfigError

AMPLITUDE_MODES = {"none": 0, "max": 1, "peak": 2}


def emit_audio(block: Any, prefix: str, fixed_point: bool) -> DspC:
    """MFE / MFCC: frames -> window -> rfft -> |X| or |X|^2 -> sparse mel -> log [-> DCT]."""
    spec = block.spectrogram
    p = block.params
    require_power_of_two(spec.fft_length, "fft_length")
    if spec.n_frames < 1:
        raise ConfigError("dsp.params.frame_length_ms: no whole frame fits in the window")
    tables = block.tables()
    starts, lengths, weights = sparse_rows(tables["mel_weights"])
    if spec.n_bins > 65535:
        raise ConfigError("dsp.params.fft_length: too large for the C filterbank (max 131068)")
    n_out = block._n_outputs()
    cepstral = getattr(block, "_cepstral", None)
    has_dct = block.name == "mfcc"
    context: dict[str, Any] = {
        "block_name": block.name,
        "window_len": block.win_len,
        "n_channels": block.n_channels,
        "channel": p.channel or 0,
        "n_frames": spec.n_frames,
        "frame_length": spec.frame_length,
        "frame_step": spec.frame_step,
        "fft_length": spec.fft_length,
        "n_bins": spec.n_bins,
        "n_mels": p.n_mels,
        "n_out": n_out,
        "n_features": spec.n_frames * n_out,
        "power": int(p.spectrum == "power"),
        "amplitude_mode": AMPLITUDE_MODES[p.amplitude_norm],
        "log_floor": p.log_floor,
        "log_clamp": int(p.log_mode == "clamp"),
        "has_dct": has_dct,
        "dct": np.asarray(cepstral).T if has_dct else [],
        "window": tables["window"],
        "twiddle": twiddle_table(spec.fft_length),
        "mel_start": starts,
        "mel_len": lengths,
        "mel_weights": weights,
        "fixed_point": fixed_point,
        **standardizer_tables(block),
    }
    kernels = list(FLOAT_KERNELS)
    if fixed_point:
        if p.spectrum == "power" and int(lengths.max()) > 1024:
            raise ConfigError("dsp.params.n_mels: a mel filter spans more than 1024 FFT bins, "
                              "too many for the fixed-point power filterbank; use more mels")
        kernels = [k for k in kernels if not k.startswith("mf_dsp_fft")] + FIXED_KERNELS
        context["window_q31"] = to_q31(tables["window"])
        context["twiddle_q31"] = to_q31(twiddle_table(spec.fft_length))
        context["mel_weights_q15"] = np.clip(np.round(weights * 32768), 0, 32767).astype(int)
    return DspC(
        prefix=prefix,
        files=emit_files(prefix, "audio.c.j2", context),
        kernels=kernels,
        window_len=int(block.win_len),
        n_channels=int(block.n_channels),
        n_features=int(context["n_features"]),
        fixed_point=fixed_point,
        feature_shape=(spec.n_frames, n_out),
    )


def contiguous_bands(masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n_bands, n_bins) 0/1 masks -> start bin and length of each (they are contiguous)."""
    starts, lengths = [], []
    for row in np.asarray(masks):
        bins = np.flatnonzero(row)
        if bins.size and bins[-1] - bins[0] + 1 != bins.size:
            raise ConfigError("dsp.params.band_edges_hz: a band is not contiguous")
        starts.append(int(bins[0]) if bins.size else 0)
        lengths.append(int(bins.size))
    return np.array(starts, int), np.array(lengths, int)


def emit_spectral(block: Any, prefix: str, fixed_point: bool) -> DspC:
    """Spectral features: scale -> biquads -> statistics -> (remove mean) -> Welch |X|^2 ->
    peaks and band energies, per channel; then standardisation."""
    from microforge.dsp.spectral_features import STATISTICS

    p = block.params
    fft_length = block.fft_length_for(block.win_len)
    require_power_of_two(fft_length, "fft_length")
    tables = block.tables()
    win = np.asarray(tables["window"], np.float64)
    starts, lengths = contiguous_bands(tables["band_masks"])
    n_bands = len(starts)
    spectrum = bool(p.n_peaks or n_bands)
    sos = tables.get("sos")
    context: dict[str, Any] = {
        "block_name": block.name,
        "window_len": block.win_len,
        "n_channels": block.n_channels,
        "per_channel": block.features_per_channel(),
        "n_features": block.n_channels * block.features_per_channel(),
        "scale": p.scale,
        "stat_codes": [STATISTICS.index(s) for s in p.statistics],
        "n_stats_codes": len(p.statistics),
        "sos": sos if sos is not None else [],
        "n_sections": 0 if sos is None else len(sos),
        "spectrum": spectrum,
        "remove_mean": p.remove_mean,
        "fft_length": fft_length,
        "n_bins": fft_length // 2 + 1,
        "fft_window_len": len(win),
        "window": win,
        "twiddle": twiddle_table(fft_length),
        "n_peaks": p.n_peaks,
        "bin_hz": block.sample_rate / fft_length,
        "amplitude_scale": 1.0 / win.sum(),
        "power_scale": 1.0 / (fft_length * np.sum(win**2)),
        "n_bands": n_bands,
        "band_start": starts,
        "band_len": lengths,
        "band_log": int(p.band_scale == "log"),
        "log_floor": p.log_floor,
        "fixed_point": fixed_point,
        **standardizer_tables(block),
    }
    kernels = list(FLOAT_KERNELS) + list(SPECTRAL_KERNELS)
    if fixed_point and spectrum:
        context["window_q31"] = to_q31(win)
        context["twiddle_q31"] = to_q31(twiddle_table(fft_length))
        kernels += FIXED_KERNELS
    n = int(context["n_features"])
    return DspC(prefix=prefix, files=emit_files(prefix, "spectral.c.j2", context),
                kernels=kernels, window_len=int(block.win_len), n_channels=int(block.n_channels),
                n_features=n, fixed_point=fixed_point, feature_shape=(n,))


def emit_raw(block: Any, prefix: str, fixed_point: bool) -> DspC:
    """Raw samples, per-channel standardised if fitted so, times scale (no arithmetic that
    differs between float and fixed point: `fixed_point` changes nothing)."""
    n = int(block.win_len * block.n_channels)
    context = {"block_name": block.name, "window_len": block.win_len,
               "n_channels": block.n_channels, "n_features": n, "scale": block.params.scale,
               "fixed_point": fixed_point, **standardizer_tables(block)}
    return DspC(prefix=prefix, files=emit_files(prefix, "raw.c.j2", context),
                kernels=["mf_dsp_frontend.h", "mf_dsp_frontend.c"], window_len=int(block.win_len),
                n_channels=int(block.n_channels), n_features=n, fixed_point=fixed_point,
                feature_shape=(int(block.win_len), int(block.n_channels)))


IMAGE_KERNELS = ["mf_dsp_image.h", "mf_dsp_image.c"]


def emit_image(block: Any, prefix: str, fixed_point: bool) -> DspC:
    """Image block: the resampling tables of the fitted block + mf_dsp_image.c (integer up to
    the pixels; `fixed_point` changes nothing)."""
    from microforge.dsp.image import NORMALIZE
    from microforge.dsp.image_ops import FORMAT_CODES, frame_bytes

    p = block.params
    height, width, channels = block.frame_shape()
    scale, offset = NORMALIZE[p.normalize]
    n = p.width * p.height * block.out_channels
    macros = {"rgb888": "MF_IMG_RGB888", "rgb565": "MF_IMG_RGB565",
              "rgb565be": "MF_IMG_RGB565BE", "yuyv": "MF_IMG_YUYV", "grayscale": "MF_IMG_GRAY"}
    assert list(macros) == list(FORMAT_CODES)  # the C's MF_IMG_* numbering
    context: dict[str, Any] = {
        "block_name": block.name, "image": True, "window_len": block.win_len,
        "n_channels": channels, "n_features": n, "has_std": False, "fixed_point": fixed_point,
        "frame_width": width, "frame_height": height, "frame_format": p.frame_format,
        "frame_bytes": frame_bytes(p.frame_format, width, height),
        "format_macro": macros[p.frame_format], "width": p.width,
        "height": p.height, "out_channels": block.out_channels, "resize": p.resize,
        "fit": p.fit, "normalize": p.normalize, "scale": scale, "offset": offset,
        **block.tables(),
    }
    return DspC(prefix=prefix, files=emit_files(prefix, "image.c.j2", context),
                kernels=list(IMAGE_KERNELS), window_len=int(block.win_len),
                n_channels=int(channels), n_features=n, fixed_point=fixed_point,
                feature_shape=(p.height, p.width, block.out_channels))
