"""Pruning on validation loss, on real data (UCI HAR): a trial whose first epoch's validation
loss is above the median of the trained trials' is stopped there and recorded as pruned, in
this process and from the worker processes that train the trials (the study is shared
through SQLite)."""

from __future__ import annotations

import json
import re

import pytest

from microforge.search.settings import resolve_settings
from microforge.search.study import run_search
from tests.conftest import require_module
from tests.search.har_project import har_project

pytestmark = [pytest.mark.slow, pytest.mark.shared, pytest.mark.train]

GOOD, BAD = 0.005, 1e-7  # a learning rate of 1e-7 leaves the network at its initial loss

# the learning rate alone is searched; the pruner compares from the first trained trial on;
# the per-op cost model (no emulator) keeps the costing short
SPACE = f"""
[search]
cost = "model"
pruner_startup_trials = 1
[[search.space]]
name = "training.learning_rate"
choices = [{GOOD}, {BAD}]
"""


@pytest.mark.parametrize(("workers", "executor"), [
    (1, "1 worker (this process)"), (2, "2 worker processes on this machine")])
def test_a_trial_worse_than_the_median_is_pruned(shared_data, tmp_path, tf, workers, executor):
    require_module("optuna")
    import optuna

    config = har_project(tmp_path / "har", shared_data, SPACE)
    n = 2 + workers
    settings = resolve_settings(config, board="nucleo_l4r5zi", trials=n, workers=workers,
                                max_epochs=2, seed=0)
    assert settings.pruner == "median"
    run = run_search(settings)
    trials = json.loads(settings.trials_json.read_text())["trials"]
    rates = [t["params"]["training.learning_rate"] for t in trials]
    # seed 0 draws BAD, GOOD (trial 0: nothing trained to compare with; with 2 workers both
    # run at once), then BAD (compared with the two trained trials)
    assert rates == [BAD, GOOD] + [BAD] * workers, rates
    assert [t["state"] for t in trials] == ["trained", "trained"] + ["pruned"] * workers
    assert [t["optuna_state"] for t in trials] == ["COMPLETE"] * 2 + ["PRUNED"] * workers
    assert trials[1]["accuracy"] > 0.5 > trials[0]["accuracy"]  # 6 classes: chance 0.17

    study = optuna.load_study(study_name="search", storage=f"sqlite:///{settings.study_db}")
    losses = [{e: -v for e, v in t.intermediate_values.items()} for t in study.trials]
    assert list(losses[0]) == [1, 2] and list(losses[1]) == [1, 2]  # trained to the end
    median = (losses[0][1] + losses[1][1]) / 2
    for t, reported in zip(trials[2:], losses[2:], strict=True):
        assert list(reported) == [1]  # stopped after its first epoch
        found = re.fullmatch(r"pruned at epoch 1 \(validation loss ([0-9.]+)\)", t["reason"])
        assert found, t["reason"]
        assert float(found.group(1)) == pytest.approx(reported[1], abs=1e-4)
        assert reported[1] > median
        assert t["feasible"] and t["accuracy"] is None and t["cost"] is not None
    assert run.new == n and run.executor == executor

