"""The parameters of a classical model or an anomaly detector trained in a project, and the
unfitted scikit-learn estimator they make. `[model.classical]` (ClassicalParams) and
`[anomaly]` (AnomalyParams + detector + normal_labels) in microforge.toml are derived from
these dataclasses (config.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microforge.errors import ConfigError
from microforge.registry import Registry
from microforge.schema import bounded, check_bounds


@dataclass
class ClassicalParams:
    """[model.classical]: used by the kinds that have the parameter, ignored by the others."""

    n_estimators: int = bounded(50, ge=1, le=2000)      # forests, lightgbm
    max_depth: int = bounded(0, ge=0, le=256)           # trees; 0: no limit
    min_samples_leaf: int = bounded(1, ge=1)            # trees (lightgbm: min_child_samples)
    max_iter: int = bounded(100, ge=1, le=100_000)      # gradient_boosting, linear models
    learning_rate: float = bounded(0.1, gt=0, le=1)     # gradient_boosting, lightgbm
    c: float = bounded(1.0, gt=0)                       # logistic_regression, linear_svm
    n_neighbors: int = bounded(5, ge=1, le=1000)        # knn

    def __post_init__(self) -> None:
        check_bounds(self, "model.classical")


@dataclass
class AnomalyParams:
    """[anomaly]: a detector trained on the normal training windows only, its threshold set on
    the normal validation windows for `false_alarm_rate`."""

    false_alarm_rate: float = bounded(0.01, ge=0, lt=1)
    n_clusters: int = bounded(8, ge=1, le=1024)         # kmeans
    n_components: int = bounded(4, ge=1, le=256)        # gaussian_mixture
    covariance_type: str = bounded("full", choices=("full", "tied", "diag", "spherical"))
    n_estimators: int = bounded(100, ge=1, le=2000)     # isolation_forest
    autoencoder_units: int = bounded(32, ge=1, le=1024)      # autoencoder: n -> units ->
    autoencoder_bottleneck: int = bounded(8, ge=1, le=1024)  # bottleneck -> units -> n
    autoencoder_epochs: int = bounded(150, ge=1, le=10_000)  # autoencoder (Keras, int8)

    def __post_init__(self) -> None:
        check_bounds(self, "anomaly")


def _detector_names() -> None:
    from microforge.classical.detectors import DETECTORS

    for name in [*DETECTORS, AUTOENCODER]:
        DETECTOR_NAMES.register(name, name)


# the int8 dense autoencoder: trained with Keras by the pipeline (train/autoencoder.py),
# compiled by the neural compiler (classical/autoencoder.py)
AUTOENCODER = "autoencoder"


# the names `[anomaly] detector` accepts (the detectors classical.detectors compiles)
DETECTOR_NAMES: Registry[str] = Registry("anomaly detector", field="anomaly.detector",
                                         load=_detector_names)


def make_classifier(kind: str, p: ClassicalParams, seed: int) -> Any:
    """An unfitted scikit-learn classifier of a registered kind (classical.kinds.KINDS)."""
    from microforge.classical.kinds import KINDS

    depth = p.max_depth or None
    args: dict[str, dict[str, Any]] = {
        "decision_tree": {"max_depth": depth, "min_samples_leaf": p.min_samples_leaf,
                          "random_state": seed},
        "random_forest": {"n_estimators": p.n_estimators, "max_depth": depth,
                          "min_samples_leaf": p.min_samples_leaf, "random_state": seed},
        "extra_trees": {"n_estimators": p.n_estimators, "max_depth": depth,
                        "min_samples_leaf": p.min_samples_leaf, "random_state": seed},
        "gradient_boosting": {"max_iter": p.max_iter, "learning_rate": p.learning_rate,
                              "max_depth": depth, "min_samples_leaf": p.min_samples_leaf,
                              "early_stopping": False, "random_state": seed},
        "logistic_regression": {"C": p.c, "max_iter": p.max_iter, "random_state": seed},
        "linear_svm": {"C": p.c, "max_iter": p.max_iter, "random_state": seed},
        "gaussian_nb": {},
        "knn": {"n_neighbors": p.n_neighbors},
        "lightgbm": {"n_estimators": p.n_estimators, "learning_rate": p.learning_rate,
                     "max_depth": p.max_depth or -1, "min_child_samples": p.min_samples_leaf,
                     "random_state": seed, "deterministic": True, "n_jobs": 1,
                     "verbose": -1},
    }
    entry = KINDS.get(kind)
    return entry.make(**args.get(kind, {}))


def make_detector(name: str, p: AnomalyParams, seed: int) -> Any:
    """An unfitted scikit-learn anomaly detector named in DETECTOR_NAMES."""
    from sklearn import cluster, covariance, ensemble, mixture

    DETECTOR_NAMES.get(name)
    if name == "kmeans":
        return cluster.KMeans(n_clusters=p.n_clusters, n_init=10, random_state=seed)
    if name == "gaussian_mixture":
        return mixture.GaussianMixture(n_components=p.n_components,
                                       covariance_type=p.covariance_type, random_state=seed)
    if name == "elliptic_envelope":
        return covariance.EllipticEnvelope(random_state=seed)
    if name == "isolation_forest":
        return ensemble.IsolationForest(n_estimators=p.n_estimators, random_state=seed)
    if name == AUTOENCODER:
        raise ConfigError("anomaly.detector 'autoencoder' is trained with Keras by the "
                          "pipeline (train/autoencoder.py), not made as a scikit-learn estimator")
    raise ConfigError(DETECTOR_NAMES.unknown(name))  # registered but not trainable here
