"""The estimator configurations the classical tests verify and the benches measure (the
figures in docs/classical.md and docs/benchmarks.md are of these), one place for both."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def reference_classifiers() -> dict[str, Callable[[], Any]]:
    """kind -> a new unfitted scikit-learn classifier (fitted on UCI HAR features)."""
    from sklearn import ensemble, linear_model, naive_bayes, svm, tree

    return {
        "decision_tree": lambda: tree.DecisionTreeClassifier(max_depth=12, random_state=0),
        "random_forest": lambda: ensemble.RandomForestClassifier(
            n_estimators=20, max_depth=10, random_state=0),
        "extra_trees": lambda: ensemble.ExtraTreesClassifier(
            n_estimators=20, max_depth=10, random_state=0),
        "gradient_boosting": lambda: ensemble.HistGradientBoostingClassifier(
            max_iter=30, random_state=0),
        "logistic_regression": lambda: linear_model.LogisticRegression(max_iter=2000),
        "linear_svm": lambda: svm.LinearSVC(max_iter=5000),
        "gaussian_nb": naive_bayes.GaussianNB,
        **_lightgbm(),
    }


def _lightgbm() -> dict[str, Callable[[], Any]]:
    """LightGBM's entry where the `lightgbm` extra is installed (it is in `make test`)."""
    try:
        import lightgbm
    except ImportError:
        return {}
    return {"lightgbm": lambda: lightgbm.LGBMClassifier(
        n_estimators=30, random_state=0, deterministic=True, n_jobs=1, verbose=-1)}


def reference_detectors() -> dict[str, Callable[[], Any]]:
    """detector -> a new unfitted scikit-learn detector (fitted on normal CWRU features)."""
    from sklearn.cluster import KMeans
    from sklearn.covariance import EllipticEnvelope
    from sklearn.ensemble import IsolationForest
    from sklearn.mixture import GaussianMixture

    return {
        "kmeans": lambda: KMeans(8, n_init=4, random_state=0),
        "gaussian_mixture": lambda: GaussianMixture(4, covariance_type="full", random_state=0),
        "elliptic_envelope": lambda: EllipticEnvelope(random_state=0),
        "isolation_forest": lambda: IsolationForest(n_estimators=100, random_state=0),
    }
