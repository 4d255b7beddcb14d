"""[model.classical] / [anomaly] parameters -> unfitted scikit-learn estimators."""

from __future__ import annotations

import pytest

from microforge.classical.kinds import KINDS
from microforge.classical.params import (
    AUTOENCODER,
    DETECTOR_NAMES,
    AnomalyParams,
    ClassicalParams,
    make_classifier,
    make_detector,
)
from microforge.errors import ConfigError


@pytest.mark.parametrize("kind", KINDS.names())
def test_every_kind_is_made_with_the_parameters_it_has(kind: str) -> None:
    params = ClassicalParams(n_estimators=7, max_depth=3, min_samples_leaf=2, max_iter=11,
                             learning_rate=0.2, c=0.5, n_neighbors=3)
    est = make_classifier(kind, params, seed=5)
    assert type(est).__name__ == KINDS.get(kind).sklearn_class
    got = est.get_params()
    expected = {"n_estimators": 7, "max_depth": 3, "min_samples_leaf": 2, "max_iter": 11,
                "learning_rate": 0.2, "C": 0.5, "random_state": 5,
                "n_neighbors": 3}
    if kind == "lightgbm":  # LightGBM's names for the same two parameters
        expected |= {"min_child_samples": 2}
    shared = {k: v for k, v in expected.items() if k in got}
    assert {k: got[k] for k in shared} == shared
    if kind not in ("gaussian_nb", "knn"):
        assert "random_state" in shared


def test_max_depth_zero_is_no_limit() -> None:
    assert make_classifier("decision_tree", ClassicalParams(), 0).max_depth is None


@pytest.mark.parametrize("name", [n for n in DETECTOR_NAMES.names() if n != AUTOENCODER])
def test_every_scikit_learn_detector_is_made(name: str) -> None:
    from microforge.classical.detectors import DETECTORS

    est = make_detector(name, AnomalyParams(n_clusters=3, n_components=2,
                                            covariance_type="diag", n_estimators=9), seed=1)
    assert type(est).__name__ == DETECTORS[name].sklearn_class
    assert est.get_params()["random_state"] == 1


def test_detector_names_are_the_compiled_detectors() -> None:
    from microforge.classical.detectors import DETECTORS

    # the autoencoder is trained with Keras by the pipeline (pipeline/classical_stage.py)
    assert DETECTOR_NAMES.names() == [*DETECTORS, AUTOENCODER]
    with pytest.raises(ConfigError, match="autoencoder"):
        make_detector(AUTOENCODER, AnomalyParams(), seed=0)


@pytest.mark.parametrize(("cls", "field", "value", "section"), [
    (ClassicalParams, "n_estimators", 0, "model.classical.n_estimators"),
    (ClassicalParams, "c", 0.0, "model.classical.c"),
    (AnomalyParams, "false_alarm_rate", 1.0, "anomaly.false_alarm_rate"),
    (AnomalyParams, "covariance_type", "weird", "anomaly.covariance_type"),
])
def test_out_of_range_parameters_name_their_field(cls, field, value, section) -> None:
    with pytest.raises(ConfigError, match=section):
        cls(**{field: value})
