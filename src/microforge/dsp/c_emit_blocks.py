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
        context["window_q31"] = to_q31(tables["window"])
        context["twiddle_q31"] = to_q31(twiddle_table(spec.fft_length))
        context["mel_weights_q15"] = np.clip(np.round(weights * 32768), 0, 32767).astype(int)
        kernels += FIXED_KERNELS
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
