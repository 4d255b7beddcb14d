"""Sampling a trial's values from the space (Optuna in memory, no training)."""

from __future__ import annotations

import pytest

from microforge.search.space import Dimension, default_space

optuna = pytest.importorskip("optuna")


def _sample_all(space, seed: int, n: int) -> list[dict]:
    from microforge.search.study import sample

    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed),
                                direction="maximize")
    out = []
    for _ in range(n):
        trial = study.ask()
        out.append(sample(trial, space))
        study.tell(trial, 0.5)
    return out


def test_conditional_dimensions_only_with_their_condition():
    for params in _sample_all(default_space("imu", 2560), 0, 20):
        spectral = params["dsp.block"] == "spectral"
        assert ("dsp.params.n_bands" in params) == spectral
        assert params["windowing.window_ms"] in (1280.0, 1920.0, 2560.0)
        assert 1 <= params["model.depth"] <= 4
        assert 1e-3 <= params["training.learning_rate"] <= 1e-2


def test_same_seed_same_values_other_seed_other_values():
    space = [Dimension("model.width", "categorical", (0.25, 0.5, 1.0)),
             Dimension("training.learning_rate", "float", low=1e-3, high=1e-2, log=True)]
    assert _sample_all(space, 3, 5) == _sample_all(space, 3, 5)
    assert _sample_all(space, 3, 5) != _sample_all(space, 4, 5)
