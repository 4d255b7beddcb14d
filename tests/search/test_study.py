"""A tiny search on real data (UCI HAR): constraints respected, infeasible candidates never
trained, resumable, reproducible from its seed; the trial config applied and read back."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from microforge.config import load_config
from microforge.search.settings import resolve_settings
from microforge.search.study import run_search
from tests.conftest import require_module
from tests.search.har_project import NEVER_FITS, STRADDLING, har_project

BOARD = "stm32f103c8_bluepill"  # Cortex-M3, 20 KB RAM, 64 KB flash, 72 MHz (QEMU mps2-an385)

pytestmark = [pytest.mark.slow, pytest.mark.shared, pytest.mark.train]


@pytest.fixture(autouse=True)
def _needs_the_stack(tf, tflm):
    require_module("optuna")
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("needs arm-none-eabi-gcc and qemu-system-arm (make toolchain)")


def test_small_search_respects_the_board_and_resumes(shared_data, tmp_path, monkeypatch):
    config = har_project(tmp_path / "har", shared_data, STRADDLING)
    settings = resolve_settings(config, board=BOARD, trials=4, max_epochs=1)
    assert settings.cost_method == "emulator"
    seen = []
    run = run_search(settings, lambda result, _: seen.append(result["number"]))
    assert seen == [0, 1, 2, 3] and run.new == 4
    record = json.loads(settings.trials_json.read_text())
    trials = record["trials"]
    assert [t["number"] for t in trials] == [0, 1, 2, 3]
    states = {t["state"] for t in trials}
    assert states == {"trained", "infeasible"}, trials  # the seed draws both widths
    board = settings.board
    for t in trials:
        cost = t["cost"]
        assert cost["method"].startswith("measured on QEMU mps2-an385")
        if t["state"] == "trained":
            assert t["feasible"] and t["optuna_state"] == "COMPLETE"
            assert cost["ram_bytes"] <= board.ram_bytes
            assert cost["flash_bytes"] <= board.flash_bytes
            assert cost["latency_ms"] <= 30 and cost["scope"] == "pipeline"
            assert cost["instructions"] == (cost["dsp_instructions"]
                                            + cost["network_instructions"])
            assert 0.3 < t["accuracy"] <= 1.0  # 6 classes: chance is 0.17
            assert t["epochs"] == 1 and t["params"]["model.width"] == 0.25
        else:  # over budget: never trained
            assert t["optuna_state"] == "PRUNED" and not t["feasible"]
            assert t["accuracy"] is None and t["epochs"] is None
            assert "latency" in t["reason"] and cost["latency_ms"] > 30
            assert t["constraints"]["latency"] > 0
            assert t["params"]["model.width"] == 4.0

    # a second search continues the study: 1 more trial, the first 4 untouched
    again = run_search(resolve_settings(config, board=BOARD, trials=1, max_epochs=1))
    assert [t["number"] for t in again.trials] == [0, 1, 2, 3, 4]
    assert again.trials[:4] == _strip(trials)
    assert (settings.folder / "study.db").is_file()

    # the report, and the chosen trial written as a config that `microforge run` takes
    from microforge.search.apply import apply_trial
    from microforge.search.report import write_report
    from microforge.search.results import chosen

    files = write_report(settings, again.trials)
    text = files[0].read_text()
    assert "Pareto front" in text and (settings.folder / "pareto.png").is_file()
    best = chosen(again.trials)
    assert best is not None and best["state"] == "trained"
    path = apply_trial(settings, best["number"])
    assert path.name == f"microforge.trial{best['number']}.toml"
    applied = load_config(path)
    assert applied.model.width == 0.25 and applied.model.depth == best["params"]["model.depth"]
    assert applied.training.epochs == 1
    assert applied.project.name == f"har_search_trial{best['number']}"
    assert tomllib.loads(path.read_text())["dataset"]["format"] == "uci_har"
    # `microforge run` of the applied trial trains the same model: same test accuracy (PTQ)
    assert best["variant"] == "ptq_int8"  # the space has no quantization.variant
    from microforge.project import Project

    monkeypatch.setenv("MICROFORGE_REPORT_PROFILE", "0")
    summary = Project.from_toml(path).run()
    print(f"trial {best['number']}: search test accuracy {best['test_accuracy']:.4f}, "
          f"`microforge run` {summary.accuracy('int8')[0]:.4f}")
    assert summary.accuracy("int8")[0] == pytest.approx(best["test_accuracy"], abs=0.005)


def _strip(trials: list[dict]) -> list[dict]:
    """trials.json rows without the flattened cost columns write_trials adds."""
    keys = ("ram_bytes", "flash_bytes", "instructions", "latency_ms")
    return [{k: v for k, v in t.items() if k not in keys} for t in trials]


def test_same_seed_same_trials_sequential_and_in_two_processes(shared_data, tmp_path):
    """Every candidate over budget (costed, not trained): the sampled values are a function
    of the seed, whether the trials run here or in 2 worker processes (another seed, other
    values: tests/search/test_sample.py)."""
    config = har_project(tmp_path / "har", shared_data, NEVER_FITS)
    first = run_search(resolve_settings(config, board=BOARD, trials=2, out=tmp_path / "a"))
    second = run_search(resolve_settings(config, board=BOARD, trials=2, workers=2,
                                         out=tmp_path / "b"))
    assert second.executor == "2 worker processes on this machine"
    assert [t["params"] for t in first.trials] == [t["params"] for t in second.trials]
    assert [t["cost"] for t in first.trials] == [t["cost"] for t in second.trials]
    assert all(t["state"] == "infeasible" and t["accuracy"] is None for t in first.trials)


def test_a_trial_left_running_is_failed_and_the_search_goes_on(shared_data, tmp_path):
    """An interrupted search leaves a RUNNING trial in study.db: the next search tells it
    FAIL ("interrupted") and runs its own trials."""
    from microforge.search.study import open_study

    config = har_project(tmp_path / "har", shared_data, NEVER_FITS)
    settings = resolve_settings(config, board=BOARD, trials=1)
    study, _ = open_study(settings)
    study.ask()  # asked, never told: as if the process had been killed
    run = run_search(settings)
    assert [t["optuna_state"] for t in run.trials] == ["FAIL", "PRUNED"]
    assert run.trials[0]["reason"].startswith("interrupted")
    assert run.trials[1]["state"] == "infeasible" and run.new == 1


def test_audio_default_space_gives_valid_candidates(shared_data, tmp_path):
    """The Speech Commands example's project (MFCC, dscnn) with the audio default space: the
    sampled front ends and networks are valid configs, compile and are costed on QEMU (every
    one over a 0.001 ms budget, so nothing is trained)."""
    from microforge.toml_text import to_toml

    example = tomllib.loads((Path(__file__).parents[2] / "examples" / "speech_commands"
                             / "microforge.toml").read_text())
    example["dataset"]["path"] = str(shared_data / "datasets" / "speech_commands_subset")
    example["project"]["output_dir"] = str(tmp_path / "build")
    example["search"] = {"latency_ms": 0.001}
    config = tmp_path / "microforge.toml"
    config.write_text(to_toml(example))
    settings = resolve_settings(config, board="nucleo_l4r5zi", trials=3)
    assert settings.data_type == "audio"
    run = run_search(settings)
    for t in run.trials:
        assert t["state"] == "infeasible", t
        assert len(t["cost"]["input_shape"]) == 2 and t["cost"]["instructions"] > 0
