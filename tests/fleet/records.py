"""Genuine telemetry for the fleet tests, cheaply: the MLPerf Tiny KWS model (shared data) on
its 5 real golden MFCC inputs (tests/monitor/kws.py), its monitor reference, and summaries of
periods drawn from those windows; records are `encode_record` of these summaries with each
device's key and sequence number, exactly the bytes a device's monitor sends."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.monitor.reference import MonitorReference, summarize
from microforge.monitor.spec import FORM_FULL
from microforge.monitor.summary import Summary
from microforge.monitor.telemetry import encode_record
from tests.monitor.kws import kws_reference, kws_windows

PERIOD = 16  # windows per record: more than drift's 8-window minimum, so alerts can fire


@dataclass
class KwsFleet:
    reference: MonitorReference
    periods: list[Summary]  # windows drawn at random (with replacement) from the 5 real ones
    drifted: Summary  # every window the same clip: the class mix and features shift

    def record(self, device_id: int, seq: int, *, period: int | None = None,
               drifted: bool = False, form: int = FORM_FULL) -> bytes:
        summary = self.drifted if drifted else \
            self.periods[(seq if period is None else period) % len(self.periods)]
        return encode_record(summary, device_id=device_id, seq=seq, key=device_key(device_id),
                             form=form)


def device_key(device_id: int) -> bytes:
    return hashlib.sha256(f"fleet test device {device_id}".encode()).digest()


def kws_fleet(shared: Path, n_periods: int = 8, seed: int = 0) -> KwsFleet:
    reference = kws_reference(shared)
    inputs, scores, _, _ = kws_windows(shared)
    rng = np.random.default_rng(seed)
    periods = []
    for _ in range(n_periods):
        pick = rng.integers(0, len(inputs), PERIOD)
        periods.append(summarize(reference.spec, inputs[pick], scores[pick]))
    same = np.zeros(PERIOD, np.int64)
    drifted = summarize(reference.spec, inputs[same], scores[same])
    return KwsFleet(reference, periods, drifted)
