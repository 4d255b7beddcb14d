"""Feature rows on both sides of a decision boundary: for pairs of windows decided
differently, bisection along the segment between them down to adjacent float32 points."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def boundary_rows(decide: Callable[[np.ndarray], np.ndarray], x: np.ndarray, pairs: int,
                  seed: int = 0, steps: int = 40) -> np.ndarray:
    """Up to 2 * pairs float32 rows, each pair straddling a change of `decide` (row -> label)
    as closely as float32 bisection gets."""
    rng = np.random.default_rng(seed)
    labels = decide(x)
    out = []
    for _ in range(pairs * 20):
        if len(out) >= 2 * pairs:
            break
        i, j = rng.integers(len(x), size=2)
        if labels[i] == labels[j]:
            continue
        a, b = x[i].astype(np.float64), x[j].astype(np.float64)
        lo, hi = 0.0, 1.0
        la = labels[i]
        for _ in range(steps):
            mid = 0.5 * (lo + hi)
            row = (a + mid * (b - a)).astype(np.float32)
            if decide(row[None])[0] == la:
                lo = mid
            else:
                hi = mid
        out += [(a + lo * (b - a)).astype(np.float32), (a + hi * (b - a)).astype(np.float32)]
    return np.asarray(out, np.float32)
