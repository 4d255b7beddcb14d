"""Make recordings agree: one sample rate (resampled or refused) and one channel layout."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from scipy.signal import resample_poly

from microforge.data.recording import Recording
from microforge.errors import DataError


def common_rate(recordings: list[Recording], target: float | None, on_mismatch: str) -> float:
    """The dataset rate: `target`, else the only (or most common) rate; refuse mismatches."""
    counts = Counter(r.sample_rate for r in recordings)
    rate = target if target is not None else max(counts, key=lambda r: (counts[r], r))
    odd = [r for r in recordings if not _same(r.sample_rate, rate)]
    if odd and on_mismatch != "resample":
        rates = ", ".join(f"{r:g} Hz" for r in sorted(counts))
        raise DataError(
            f"{odd[0].source}: sample rate {odd[0].sample_rate:g} Hz, expected {rate:g} Hz "
            f"({len(odd)} of {len(recordings)} recordings differ; rates found: {rates}); "
            'set dataset.on_rate_mismatch = "resample" or convert the files'
        )
    return float(rate)


def resample_all(recordings: list[Recording], rate: float) -> list[Recording]:
    """Recordings at `rate`, resampled with a polyphase filter where needed."""
    out = []
    for r in recordings:
        if not _same(r.sample_rate, rate):
            ratio = Fraction(rate / r.sample_rate).limit_denominator(1000)
            signal = resample_poly(r.signal.astype(np.float64), ratio.numerator,
                                   ratio.denominator, axis=0)
            r = Recording(signal.astype(np.float32), rate, r.label, r.group, r.source,
                          r.channel_names)
        out.append(r)
    return out


def select_channels(
    recordings: list[Recording], wanted: Sequence[str | int] | None
) -> tuple[list[Recording], tuple[str, ...]]:
    """Keep the wanted channels (names or indices); every recording must end up alike."""
    out = []
    for r in recordings:
        if wanted is not None:
            index = [_channel_index(r, w) for w in wanted]
            r = Recording(np.ascontiguousarray(r.signal[:, index]), r.sample_rate, r.label,
                          r.group, r.source, tuple(r.channel_names[i] for i in index))
        out.append(r)
    first = out[0]
    for r in out[1:]:
        if r.signal.shape[1] != first.signal.shape[1] or (
            wanted is None and r.channel_names != first.channel_names
        ):
            raise DataError(
                f"{r.source}: channels {', '.join(r.channel_names)} differ from "
                f"{', '.join(first.channel_names)} in {first.source}; "
                "make the files alike or pick channels with dataset.channels"
            )
    return out, first.channel_names


def _channel_index(r: Recording, wanted: str | int) -> int:
    if isinstance(wanted, str) and wanted in r.channel_names:
        return r.channel_names.index(wanted)
    if isinstance(wanted, int) or str(wanted).lstrip("-").isdigit():
        index = int(wanted)
        if -len(r.channel_names) <= index < len(r.channel_names):
            return index % len(r.channel_names)
    raise DataError(
        f"{r.source}: no channel {wanted!r}; channels are {', '.join(r.channel_names)} "
        "(or 0-based indices); fix dataset.channels"
    )


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b))
