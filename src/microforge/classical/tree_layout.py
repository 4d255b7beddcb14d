"""Tree tables in the compact form the C walks: internal nodes only (a child >= 0 is an internal
node, a child < 0 the leaf code -child - 1), leaf rows deduplicated, and, for classifiers,
pure leaves (probability 1.0 for one class, 0.0 for the others) as the class index itself:
codes 0..n_classes-1 are pure leaves, the others rows of `rows`. Each integer array gets the
narrowest C type that holds it. Adding a pure leaf's row in double is adding 1.0 to one score
and 0.0 (no change) to the others, so a sum of codes is the sum scikit-learn computes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.classical.tables import TreeTables


@dataclass(frozen=True)
class CompactTrees:
    feature: np.ndarray    # per internal node, the feature index
    threshold: np.ndarray  # float32, go left when x <= threshold (never -0.0)
    left: np.ndarray       # child codes (>= 0 internal node, < 0: -(leaf code) - 1)
    right: np.ndarray
    roots: np.ndarray      # child code of each tree's root (a one-leaf tree: its leaf)
    rows: np.ndarray       # float64 (n_rows, n_cols), the distinct non-pure leaf rows
    n_pure: int            # leaf codes below it are pure classes; code - n_pure: a row
    row_float32: bool      # every row value is exactly a float32 (stored as float)


def ctype_for(values: np.ndarray) -> str:
    """The narrowest of int8/16/32 (uint8/16 when non-negative) holding every value."""
    lo, hi = (int(values.min()), int(values.max())) if values.size else (0, 0)
    for bits in (8, 16):
        if lo >= 0 and hi < 2 ** bits:
            return f"uint{bits}_t"
        if -(2 ** (bits - 1)) <= lo and hi < 2 ** (bits - 1):
            return f"int{bits}_t"
    return "int32_t"


def _pure_class(values: np.ndarray) -> np.ndarray:
    """Per row, the class of a pure row (one 1.0, the rest 0.0), else -1."""
    ones = values == 1.0
    pure = (ones.sum(axis=1) == 1) & ((values == 0.0) | ones).all(axis=1)
    return np.where(pure, ones.argmax(axis=1), -1)


def compact(t: TreeTables, *, pure_codes: bool) -> CompactTrees:
    """`t` in the compact form; pure_codes: pure leaves as class indices (classifiers that sum
    one row of class probabilities per tree)."""
    leaf_values = np.asarray(t.leaf_values, np.float64)
    n_cols = leaf_values.shape[1]
    pure = _pure_class(leaf_values) if pure_codes else np.full(len(leaf_values), -1)
    n_pure = n_cols if pure_codes else 0
    rows, inverse = np.unique(leaf_values[pure < 0], axis=0, return_inverse=True)
    leaf_code = np.empty(len(leaf_values), np.int64)
    leaf_code[pure >= 0] = pure[pure >= 0]
    leaf_code[pure < 0] = n_pure + inverse.ravel()
    internal = t.feature >= 0
    index = np.cumsum(internal) - 1  # node -> its internal-node index

    def child(nodes: np.ndarray) -> np.ndarray:
        out = index[nodes].astype(np.int64)
        leaf = ~internal[nodes]
        out[leaf] = -leaf_code[t.left[nodes[leaf]]] - 1
        return out

    threshold = np.asarray(t.threshold, np.float32)[internal].copy()
    threshold[threshold == 0.0] = 0.0  # -0.0 -> +0.0: the same comparison for every x
    f32 = rows.astype(np.float32).astype(np.float64)
    return CompactTrees(t.feature[internal].astype(np.int64), threshold,
                        child(t.left[internal]), child(t.right[internal]),
                        child(np.asarray(t.roots, np.int64)), rows, n_pure,
                        bool(np.array_equal(f32, rows)) and rows.size > 0)
