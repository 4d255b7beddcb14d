"""A fitted scikit-learn estimator as plain constant tables (numbers only), one dataclass per
model family; the C emitter and nothing else reads these."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import ModelError


@dataclass(frozen=True)
class TreeTables:
    """Every tree's nodes in one flat array. feature < 0 marks a leaf, whose `left` is its row
    of `leaf_values`. score(class) = sum over trees of the leaf's row (then / n_trees when
    `average`); the decision is the first maximum (or raw > 0 for one binary score)."""

    feature: np.ndarray      # int32, per node
    threshold: np.ndarray    # float64, go left when x <= threshold
    left: np.ndarray         # int32, child index (or leaf row for leaves)
    right: np.ndarray        # int32
    roots: np.ndarray        # int32, first node of each tree
    leaf_values: np.ndarray  # float64, (n_leaves, n_scores)
    baseline: np.ndarray     # float64, (n_scores,) added before the trees
    average: bool
    interleaved: bool        # False: a leaf row holds every score; True: tree t adds its
                             # one value to score t % n_scores (gradient boosting)
    binary_threshold: bool   # one score: class 1 when it is > 0


@dataclass(frozen=True)
class LinearTables:
    """score = x . coef[k] + intercept[k]; one score: class 1 when > 0."""

    coef: np.ndarray       # float64 (n_scores, n_features)
    intercept: np.ndarray  # float64 (n_scores,)


@dataclass(frozen=True)
class GaussianNBTables:
    """jll[k] = log_prior[k] + (const[k] - 0.5 * sum((x - mean[k])^2 / var[k]))."""

    log_prior: np.ndarray
    const: np.ndarray
    mean: np.ndarray
    var: np.ndarray


@dataclass(frozen=True)
class KnnTables:
    """k nearest neighbours (uniform votes, euclidean): the training rows and their class
    indices; scores[c] = neighbours of class c among the k nearest (classical/knn.py)."""

    train: np.ndarray   # (n_train, n_features), float32 when exact, else float64
    labels: np.ndarray  # (n_train,) class index
    k: int


Tables = TreeTables | LinearTables | GaussianNBTables | KnnTables


def check_finite(name: str, *arrays: np.ndarray) -> None:
    for a in arrays:
        if not np.all(np.isfinite(a)):
            raise ModelError(f"{name}: the fitted estimator has non-finite parameters; refit it on finite features")


def float32_floor(threshold: np.ndarray) -> np.ndarray:
    """The largest float32 <= each threshold: for a float32 x, x <= t (float64) exactly when
    x <= floor32(t), so the C compares in float only and decides as scikit-learn does."""
    t32 = threshold.astype(np.float32)
    over = t32.astype(np.float64) > threshold
    t32[over] = np.nextafter(t32[over], np.float32(-np.inf))
    return t32
