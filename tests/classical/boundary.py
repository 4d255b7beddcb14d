"""Feature rows on both sides of a decision boundary: for pairs of windows decided
differently, bisection along the segment between them down to adjacent float32 points."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def boundary_rows(decide: Callable[[np.ndarray], np.ndarray], x: np.ndarray, pairs: int,
                  seed: int = 0, steps: int = 40) -> np.ndarray:
    """2 * pairs float32 rows (fewer if x has too few differently decided pairs), each pair
    straddling a change of `decide` (rows -> labels) as closely as float32 bisection gets;
    all pairs are bisected together (one `decide` call per step)."""
    rng = np.random.default_rng(seed)
    labels = decide(x)
    i, j = rng.integers(len(x), size=(2, 20 * pairs))
    keep = labels[i] != labels[j]
    i, j = i[keep][:pairs], j[keep][:pairs]
    a, b = x[i].astype(np.float64), x[j].astype(np.float64)
    lo, hi = np.zeros(len(i)), np.ones(len(i))
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        same = decide((a + mid[:, None] * (b - a)).astype(np.float32)) == labels[i]
        lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
    left = (a + lo[:, None] * (b - a)).astype(np.float32)
    right = (a + hi[:, None] * (b - a)).astype(np.float32)
    return np.concatenate([left, right])
