"""A time limit per trial: each trial in its own process, killed at the limit and failed
with the reason "time limit of N s"; the search goes on with the next trial."""

from __future__ import annotations

import json

import pytest

from microforge.search.settings import resolve_settings
from microforge.search.study import run_search
from tests.conftest import require_module
from tests.search.har_project import NEVER_FITS, har_project

pytestmark = [pytest.mark.shared]

BOARD = "stm32f103c8_bluepill"
COSTED_ONLY = NEVER_FITS + 'cost = "model"\n'  # every candidate costed, none trained


@pytest.fixture(autouse=True)
def _optuna():
    require_module("optuna")


def test_a_trial_over_its_limit_is_killed_and_failed(shared_data, tmp_path):
    """0.5 s is less than a trial's process needs to start: both trials are killed at the
    limit, failed with its reason, and the second one still runs after the first."""
    config = har_project(tmp_path / "har", shared_data, COSTED_ONLY)
    settings = resolve_settings(config, board=BOARD, trials=2, trial_timeout=0.5)
    run = run_search(settings)
    assert run.new == 2 and "time limit 0.5 s" in run.executor
    trials = json.loads(settings.trials_json.read_text())["trials"]
    assert [t["number"] for t in trials] == [0, 1]
    for t in trials:
        assert t["state"] == "failed" and t["optuna_state"] == "FAIL"
        assert t["reason"] == "time limit of 0.5 s"
        assert 0.5 <= t["seconds"] < 5  # killed, not waited for
        assert t["cost"] is None and t["params"]


@pytest.mark.slow
def test_a_trial_within_its_limit_returns_from_its_process(shared_data, tmp_path):
    """The same study resumed with room to spare ([search] trial_timeout): the next trial runs
    in its own process and its outcome (costed, over budget) comes back; the killed trials
    stay failed."""
    config = har_project(tmp_path / "har", shared_data, COSTED_ONLY)
    run_search(resolve_settings(config, board=BOARD, trials=1, trial_timeout=0.5))
    config.write_text(config.read_text() + "trial_timeout = 300\n", encoding="utf-8")
    settings = resolve_settings(config, board=BOARD, trials=1)
    assert settings.trial_timeout == 300
    run = run_search(settings)
    assert "time limit 300 s" in run.executor
    first, second = run.trials
    assert first["state"] == "failed" and first["reason"] == "time limit of 0.5 s"
    assert second["state"] == "infeasible" and "latency" in second["reason"]
    assert second["cost"]["instructions"] > 0 and second["optuna_state"] == "PRUNED"
