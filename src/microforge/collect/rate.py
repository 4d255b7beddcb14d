"""The sample rate of a stream from the arrival times of its lines.

Lines arrive in bursts (USB packets, OS buffering), so one interval says little; the rate is
the slope of a straight line through (line index, arrival time) over the whole stream, fitted
twice: the second time without the points far off the first fit (a stall, a burst after a
pause). Every received line counts as one sample period, garbled ones too, so a noisy line
does not bend the estimate. That works at any rate, also below 2 Hz (it needs 3 lines).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NICE_TOLERANCE = 0.002  # a measured rate within 0.2 % of a round value is taken as that value


@dataclass(frozen=True)
class RateEstimate:
    measured: float  # Hz, the fitted slope
    rate: float  # Hz, `measured` or the round value it is within NICE_TOLERANCE of
    lines: int  # points fitted
    span_s: float  # time from the first to the last line

    @property
    def snapped(self) -> bool:
        return self.rate != self.measured


def estimate_rate(index: np.ndarray, arrival: np.ndarray) -> RateEstimate | None:
    """Rate from line indices (every received line counted) and their arrival times (s);
    None with fewer than 3 lines or no time between them."""
    index = np.asarray(index, dtype=np.float64)
    arrival = np.asarray(arrival, dtype=np.float64)
    if len(index) < 3 or arrival[-1] - arrival[0] <= 0 or index[-1] == index[0]:
        return None
    slope, intercept = np.polyfit(index, arrival, 1)
    residual = arrival - (slope * index + intercept)
    mad = float(np.median(np.abs(residual - np.median(residual))))
    keep = np.abs(residual) <= max(5.0 * 1.4826 * mad, 0.25 * abs(slope))
    if keep.sum() >= 3 and not keep.all():
        slope, _ = np.polyfit(index[keep], arrival[keep], 1)
    if slope <= 0:
        return None
    measured = float(1.0 / slope)
    return RateEstimate(measured, nice_rate(measured), len(index),
                        float(arrival[-1] - arrival[0]))


def nice_rate(measured: float) -> float:
    """The value of 1 to 3 significant digits within NICE_TOLERANCE of `measured`, the
    fewest first (100 for 99.93, 62.5 for 62.47, 44100 for 44093), else `measured` to 6
    digits (11025 stays 11025: 11000 is 0.23 % away)."""
    for digits in range(1, 4):
        rounded = float(f"{measured:.{digits}g}")
        if abs(rounded - measured) <= NICE_TOLERANCE * measured:
            return rounded
    return float(f"{measured:.6g}")
