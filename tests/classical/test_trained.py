"""A trained classical model: its scikit-learn decisions, its one-hot scores for the pipeline's
post-processing, and its round trip through the run folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.classical.trained import ONE_HOT, OneHotRunner, TrainedClassical
from microforge.errors import ConfigError
from microforge.workspace.rundir import RunDir


def _data():
    rng = np.random.default_rng(0)
    y = np.arange(90) % 3
    x = (rng.normal(size=(90, 5)) + 2.5 * y[:, None]).astype(np.float32)
    return x, y


def test_classifier_decisions_and_one_hot_scores() -> None:
    from sklearn.naive_bayes import GaussianNB

    x, y = _data()
    model = TrainedClassical(GaussianNB().fit(x, y), "gaussian_nb", "classifier", 5)
    decided = model.decide(x)
    assert decided.tolist() == GaussianNB().fit(x, y).predict(x).tolist()
    runner = OneHotRunner(model)
    assert (runner.input_size, runner.output_size) == (5, 3) and runner.float_input
    assert runner.output_quant == ONE_HOT
    scores = runner(x[4])
    assert scores.dtype == np.int8 and scores.tolist() == np.eye(3, dtype=int)[decided[4]].tolist()


def test_detector_flags_are_scores_above_the_threshold() -> None:
    from sklearn.cluster import KMeans

    x, _ = _data()
    km = KMeans(n_clusters=2, n_init=3, random_state=0).fit(x[:30])
    scores = np.min(km.transform(x.astype(np.float64)), axis=1)
    threshold = float(np.median(scores))
    model = TrainedClassical(km, "kmeans", "detector", 5, threshold)
    assert model.decide(x).tolist() == (scores > threshold).astype(int).tolist()
    assert OneHotRunner(model).output_size == 2


def test_run_folder_round_trip_and_a_corrupt_model(tmp_path: Path) -> None:
    from sklearn.tree import DecisionTreeClassifier

    x, y = _data()
    run = RunDir(tmp_path)
    model = TrainedClassical(DecisionTreeClassifier(random_state=0).fit(x, y),
                             "decision_tree", "classifier", 5)
    run.save_classical(model)
    assert run.is_classical
    loaded = run.load_classical()
    assert (loaded.kind, loaded.role, loaded.n_features, loaded.threshold) == \
        ("decision_tree", "classifier", 5, None)
    assert loaded.decide(x).tolist() == model.decide(x).tolist()
    run.classical_model.write_bytes(b"not a pickle")
    with pytest.raises(ConfigError, match="model_classical.joblib: unreadable"):
        run.load_classical()
