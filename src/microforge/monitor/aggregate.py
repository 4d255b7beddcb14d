"""Records of one model combined into one (a device over a day, a cohort, a model version),
for the same drift statistics: counts and histograms add up; latency min/max/mean combine;
the per-feature Welford mean and variance combine by Chan's parallel formula, each record
weighted by its windows (every window has the same number of inputs per feature).

    cohort = combine(records)            # a Record (form: full if all are full)
    assess(cohort, reference)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from microforge.monitor.spec import FORM_FULL, FORM_TINY
from microforge.monitor.telemetry import Record


def _sum(rows: Sequence[Sequence[int]]) -> tuple[int, ...]:
    return tuple(int(v) for v in np.sum(np.asarray(rows, np.int64), axis=0))


def combine(records: Sequence[Record]) -> Record:
    """One Record for several of the same model and shape (ValueError otherwise)."""
    if not records:
        raise ValueError("combine needs at least one record")
    first = records[0]
    if any(r.model_id != first.model_id or len(r.class_counts) != len(first.class_counts)
           or len(r.conf_hist) != len(first.conf_hist) for r in records):
        raise ValueError("records of different models or shapes cannot be combined")
    full = all(r.form == FORM_FULL for r in records)
    windows = sum(r.windows for r in records)
    base = Record(
        form=FORM_FULL if full else FORM_TINY, device_id=first.device_id,
        model_id=first.model_id, model_version=first.model_version,
        seq=max(r.seq for r in records), windows=windows,
        class_counts=_sum([r.class_counts for r in records]),
        conf_hist=_sum([r.conf_hist for r in records]),
        sat_low=sum(r.sat_low for r in records), sat_high=sum(r.sat_high for r in records),
        latency_max=max(r.latency_max for r in records))
    if not full:
        return base
    timed = [r for r in records if r.windows]
    return dataclasses.replace(
        base, margin_hist=_sum([r.margin_hist or () for r in records]),
        latency_min=min((r.latency_min or 0 for r in timed), default=0),
        latency_mean=(sum((r.latency_mean or 0) * r.windows for r in timed) // windows
                      if windows else 0),
        feature_hist=tuple(_sum(h) for h in zip(*[r.feature_hist or () for r in records],
                                                strict=True)),
        welford=_welford(timed))


def _welford(records: Sequence[Record]) -> tuple[tuple[int, int], ...]:
    """Combined (mean Q8, variance Q4) per feature, weighted by windows."""
    if not records:
        return ()
    w = np.array([r.windows for r in records], np.float64)[:, None]
    mv = np.array([r.welford or () for r in records], np.float64)  # (records, features, 2)
    mean, var = mv[:, :, 0] / 256.0, mv[:, :, 1] / 16.0
    total = (w * mean).sum(axis=0) / w.sum()
    combined = (w * (var + (mean - total) ** 2)).sum(axis=0) / w.sum()
    return tuple((int(round(m * 256)), int(round(v * 16)))
                 for m, v in zip(total, combined, strict=True))
