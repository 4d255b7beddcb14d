"""The sample rate of a stream from the arrival times of its lines.

Lines arrive in bursts (USB packets, OS buffering) and late (a busy host reads when it can),
never early, so one interval says little. The device's schedule is a straight line *under*
every point (line index, arrival time): of the lines under all points, the one closest to
them on average, which is the edge of their lower convex hull above the mean index (the
linear-programming estimate of clock skew in network delay measurement). Waits of bursts,
stalls and late reads lie above it and do not bend it. Every received line counts as one
sample period, garbled ones too. That works at any rate, also below 2 Hz (it needs 3 lines).
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
    slope = lower_edge_slope(index, arrival)
    if slope <= 0:
        return None
    measured = float(1.0 / slope)
    return RateEstimate(measured, nice_rate(measured), len(index),
                        float(arrival[-1] - arrival[0]))


def lower_edge_slope(x: np.ndarray, y: np.ndarray) -> float:
    """Slope of the line under all points (x increasing) with the least mean gap to them:
    the lower convex hull's edge over mean(x)."""
    hull: list[int] = []
    for i in range(len(x)):
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            # drop b if it lies on or above the segment a -> i
            if (y[b] - y[a]) * (x[i] - x[a]) >= (y[i] - y[a]) * (x[b] - x[a]):
                hull.pop()
            else:
                break
        hull.append(i)
    centre = float(np.mean(x))
    for a, b in zip(hull[:-1], hull[1:], strict=True):
        if x[a] <= centre <= x[b]:
            return float((y[b] - y[a]) / (x[b] - x[a]))
    a, b = hull[0], hull[-1]
    return float((y[b] - y[a]) / (x[b] - x[a]))


def nice_rate(measured: float) -> float:
    """The value of 1 to 3 significant digits within NICE_TOLERANCE of `measured`, the
    fewest first (100 for 99.93, 62.5 for 62.47, 44100 for 44093), else `measured` to 6
    digits (11025 stays 11025: 11000 is 0.23 % away)."""
    for digits in range(1, 4):
        rounded = float(f"{measured:.{digits}g}")
        if abs(rounded - measured) <= NICE_TOLERANCE * measured:
            return rounded
    return float(f"{measured:.6g}")
