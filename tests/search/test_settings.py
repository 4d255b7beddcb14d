"""The search settings of pruning and the time limit: [search], the command line, defaults."""

from __future__ import annotations

from microforge.search.settings import resolve_settings
from tests.search.har_project import har_project

BOARD = "nucleo_l4r5zi"


def test_median_pruner_by_default_none_with_several_objectives(tmp_path):
    """Optuna has no pruning in multi-objective studies: the pruner is off there."""
    default = resolve_settings(har_project(tmp_path / "a", tmp_path, "[search]\n"), board=BOARD)
    assert (default.pruner, default.pruner_startup_trials, default.pruner_warmup_epochs) == (
        "median", 5, 0)
    assert default.trial_timeout is None
    two = har_project(tmp_path / "b", tmp_path, '[search]\nobjectives = ["accuracy", "ram"]\n')
    assert resolve_settings(two, board=BOARD).pruner == "none"
    off = har_project(tmp_path / "c", tmp_path, '[search]\npruner = "none"\n')
    assert resolve_settings(off, board=BOARD).pruner == "none"


def test_time_limit_from_the_config_and_the_command_line(tmp_path):
    config = har_project(tmp_path / "a", tmp_path, "[search]\ntrial_timeout = 90\n")
    assert resolve_settings(config, board=BOARD).trial_timeout == 90
    assert resolve_settings(config, board=BOARD, trial_timeout=2.5).trial_timeout == 2.5
