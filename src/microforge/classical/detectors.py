"""Anomaly detectors (fitted on normal data only) as constant tables: K-means distance,
Gaussian mixture log-likelihood, elliptic envelope (Mahalanobis) and isolation forest. Every
score is "higher = more anomalous"; the C and the reference below compute the same number."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from microforge.classical.tables import TreeTables, check_finite, float32_floor
from microforge.errors import ModelError


@dataclass(frozen=True)
class QuadTables:
    """Per component k: y = (x - mean[k]) @ chol[k]; q = y . y (chol None: identity).
    combine "min_sqrt": score = sqrt(min_k q) (K-means distance to the nearest centroid);
    "neg_logsumexp": score = -log sum_k exp(const[k] - q / 2) (GMM negative log-likelihood);
    "quad": score = q of the one component (squared Mahalanobis distance)."""

    mean: np.ndarray            # (k, n)
    chol: np.ndarray | None     # (k, n, n) or None
    const: np.ndarray           # (k,)
    combine: str


@dataclass(frozen=True)
class IsolationTables:
    """score = 2 ** (-(sum over trees of the leaf's path length) / denominator)."""

    trees: TreeTables
    denominator: float


DetectorTables = QuadTables | IsolationTables


@dataclass(frozen=True)
class Detector:
    name: str
    sklearn_class: str
    tables: Callable[[Any], DetectorTables]
    reference: Callable[[Any, np.ndarray], np.ndarray]  # scikit-learn's score, same sign


def _kmeans(est: Any) -> DetectorTables:
    c = np.asarray(est.cluster_centers_, np.float64)
    check_finite("kmeans", c)
    return QuadTables(c, None, np.zeros(len(c)), "min_sqrt")


def _gmm(est: Any) -> DetectorTables:
    mean = np.asarray(est.means_, np.float64)
    k, n = mean.shape
    pc = np.asarray(est.precisions_cholesky_, np.float64)
    if est.covariance_type == "full":
        chol = pc
    elif est.covariance_type == "tied":
        chol = np.repeat(pc[None], k, axis=0)
    elif est.covariance_type == "diag":
        chol = np.stack([np.diag(p) for p in pc])
    else:  # spherical
        chol = np.stack([np.eye(n) * p for p in pc])
    log_det = np.array([np.sum(np.log(np.diag(c))) for c in chol])
    const = np.log(np.asarray(est.weights_, np.float64)) - 0.5 * n * np.log(2 * np.pi) + log_det
    check_finite("gaussian_mixture", mean, chol, const)
    return QuadTables(mean, chol, const, "neg_logsumexp")


def precision_factor(precision: np.ndarray) -> np.ndarray:
    """F with F F^T = precision, so that (x - m) P (x - m)^T = |(x - m) F|^2: its Cholesky
    factor, or, when collinear features make P only semidefinite (an eigenvalue at rounding
    level, of either sign: scikit-learn's pinvh leaves it), V sqrt(max(lambda, 0))."""
    try:
        return np.linalg.cholesky(precision)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(precision)
        if not np.isfinite(values).all() or values.min() < -1e-9 * max(values.max(), 1e-300):
            raise ModelError("elliptic_envelope: the precision matrix is not positive "
                             "semidefinite; drop constant or collinear features") from None
        return vectors * np.sqrt(np.maximum(values, 0.0))


def _elliptic(est: Any) -> DetectorTables:
    loc = np.asarray(est.location_, np.float64)[None]
    chol = precision_factor(np.asarray(est.precision_, np.float64))[None]
    check_finite("elliptic_envelope", loc, chol)
    return QuadTables(loc, chol, np.zeros(1), "quad")


def _isolation_forest(est: Any) -> DetectorTables:
    from sklearn.ensemble._iforest import _average_path_length

    feats, thrs, lefts, rights, roots, leaves = [], [], [], [], [], []
    base = n_leaf = 0
    subsample = est._max_features != est.n_features_in_
    for i, (tree, features) in enumerate(zip(est.estimators_, est.estimators_features_,
                                             strict=True)):
        t = tree.tree_
        is_leaf = t.children_left < 0
        glob = np.asarray(features)[np.maximum(t.feature, 0)] if subsample else t.feature
        path = est._decision_path_lengths[i] + est._average_path_length_per_tree[i] - 1.0
        feats.append(np.where(is_leaf, -1, glob).astype(np.int32))
        thrs.append(np.where(is_leaf, 0.0, t.threshold))
        lefts.append(np.where(is_leaf, np.cumsum(is_leaf) - 1 + n_leaf,
                              t.children_left + base).astype(np.int32))
        rights.append(np.where(is_leaf, 0, t.children_right + base).astype(np.int32))
        leaves.append(np.asarray(path, np.float64)[is_leaf][:, None])
        roots.append(base)
        base += t.node_count
        n_leaf += int(is_leaf.sum())
    threshold = np.concatenate(thrs)
    leaf_values = np.concatenate(leaves)
    check_finite("isolation_forest", threshold, leaf_values)
    denominator = float(len(est.estimators_) * _average_path_length([est._max_samples])[0])
    if denominator <= 0:
        raise ModelError("isolation_forest: fitted on a single sample; fit on more windows")
    trees = TreeTables(np.concatenate(feats), float32_floor(threshold), np.concatenate(lefts),
                       np.concatenate(rights), np.asarray(roots, np.int32), leaf_values,
                       np.zeros(1), average=False, interleaved=False, binary_threshold=False)
    return IsolationTables(trees, denominator)


def _ref_kmeans(est: Any, x: np.ndarray) -> np.ndarray:
    return np.min(est.transform(x.astype(np.float64)), axis=1)


def _ref_gmm(est: Any, x: np.ndarray) -> np.ndarray:
    return -est.score_samples(x.astype(np.float64))


def _ref_negated(est: Any, x: np.ndarray) -> np.ndarray:
    return -est.score_samples(x)


def _load() -> dict[str, Detector]:
    return {
        "kmeans": Detector("kmeans", "KMeans", _kmeans, _ref_kmeans),
        "gaussian_mixture": Detector("gaussian_mixture", "GaussianMixture", _gmm, _ref_gmm),
        "elliptic_envelope": Detector("elliptic_envelope", "EllipticEnvelope", _elliptic,
                                      lambda e, x: -e.score_samples(x.astype(np.float64))),
        "isolation_forest": Detector("isolation_forest", "IsolationForest", _isolation_forest,
                                     _ref_negated),
    }


DETECTORS = _load()


def detector_of(estimator: Any) -> Detector | None:
    """The detector of an estimator, or None when it is not an anomaly detector."""
    cls = type(estimator).__name__
    for det in DETECTORS.values():
        if det.sklearn_class == cls:
            return det
    return None


def supported_detectors() -> list[str]:
    return [d.sklearn_class for d in DETECTORS.values()]
