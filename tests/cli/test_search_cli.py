"""`microforge search` on bad input: one line, exit code 2, nothing trained."""

from __future__ import annotations

import json
import sys

import pytest

from microforge.cli import main

PROJECT = """
[project]
name = "s"
[dataset]
path = "data"
[search]
{search}
"""


def project(tmp_path, search: str = ""):
    path = tmp_path / "microforge.toml"
    path.write_text(PROJECT.format(search=search), encoding="utf-8")
    return path


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "Traceback" not in err
    return " ".join(err.split())


@pytest.mark.parametrize(("args", "search", "expected"), [
    (["--board", "nope"], "", "unknown board 'nope'"),
    ([], "trails = 3", "search.trails: unknown field"),
    ([], "objectives = [\"ram\"]", "first objective must be \"accuracy\""),
    ([], "[[search.space]]\nname = \"report.colour\"\nchoices = [1]",
     "search.space: report.colour: not a searchable field"),
    (["--trials", "0"], "", "--trials must be at least 1"),
    (["--trial-timeout", "0"], "", "--trial-timeout must be a number of seconds above 0"),
    ([], "trial_timeout = -1", "search.trial_timeout"),
    ([], "pruner = \"mean\"", "search.pruner"),
    (["--apply", "3"], "", "no search here"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, search, expected):
    code = main(["search", str(project(tmp_path, search)), *args])
    assert code == 2
    assert expected in one_error_line(capsys)


def test_apply_of_an_unknown_or_untrained_trial(tmp_path, capsys):
    path = project(tmp_path)
    folder = tmp_path / "build" / "s" / "search"
    folder.mkdir(parents=True)
    (folder / "trials.json").write_text(json.dumps({"board": "nucleo_l4r5zi", "seed": 0,
        "trials": [{"number": 0, "state": "infeasible", "reason": "RAM 30 KB > 20 KB",
                    "params": {}}]}))
    assert main(["search", str(path), "--apply", "7"]) == 2
    assert "--apply 7: no such trial" in one_error_line(capsys)
    assert main(["search", str(path), "--apply", "0"]) == 2
    assert "was not trained (infeasible: RAM 30 KB > 20 KB)" in one_error_line(capsys)
    assert not list(tmp_path.glob("microforge.trial*.toml"))


def test_without_ray_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    assert main(["search", str(project(tmp_path)), "--ray", "auto"]) == 2
    assert "pip install 'microforge[scale]'" in one_error_line(capsys)


def test_calibrate_bad_input_is_one_line(tmp_path, capsys):
    path = project(tmp_path)
    assert main(["calibrate", str(path), "--target", "0"]) == 2
    assert "--target must be > 0" in one_error_line(capsys)
    assert main(["calibrate", str(path), "--target", "5"]) == 2
    assert "the project is not trained" in one_error_line(capsys)
    assert not (tmp_path / "microforge.calibrated.toml").exists()


def test_progress_counts_pruned_and_failed_trials():
    from microforge.cli.search import _line, _status

    trials = [
        {"number": 0, "state": "trained", "feasible": True, "accuracy": 0.8, "reason": ""},
        {"number": 1, "state": "pruned", "feasible": True, "accuracy": None,
         "reason": "pruned at epoch 1 (validation loss 1.7763)"},
        {"number": 2, "state": "failed", "feasible": None, "accuracy": None,
         "reason": "time limit of 5 s"},
        {"number": 3, "state": "infeasible", "feasible": False, "accuracy": None, "reason": ""},
    ]
    assert _status(trials) == "feasible 2/4, pruned 1, failed 1, best 80.0 % (trial 0)"
    assert _line(trials[1]) == "trial 1: pruned - pruned at epoch 1 (validation loss 1.7763)"
