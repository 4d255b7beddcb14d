"""`--apply` of a QAT trial gives a config whose `microforge run` makes that trial's QAT model
(not the PTQ one); a 16x8 trial is costed with its 16x8 network and scored, and its applied
config deploys the 16x8 network: int16 I/O, the C pipeline deciding as the Python one."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from microforge.config import load_config
from microforge.search.settings import resolve_settings
from microforge.search.study import run_search
from tests.conftest import require_module
from tests.search.har_project import har_project

BOARD = "nucleo_l4r5zi"  # Cortex-M4F, 640 KB RAM: every candidate below fits

pytestmark = [pytest.mark.slow, pytest.mark.shared, pytest.mark.train]


def _space(*variants: str) -> str:
    choices = ", ".join(f'"{v}"' for v in variants)
    return f"""
[search]
[[search.space]]
name = "quantization.variant"
choices = [{choices}]
[[search.space]]
name = "model.width"
choices = [0.25]
"""


@pytest.fixture(autouse=True)
def _needs_the_stack(tf, tflm):
    require_module("optuna")
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("needs arm-none-eabi-gcc and qemu-system-arm (make toolchain)")


def test_applied_qat_trial_runs_as_qat(shared_data, tmp_path, monkeypatch):
    from microforge.project import Project
    from microforge.search.apply import apply_trial
    from microforge.train.quantize import quantize_int8
    from microforge.workspace.rundir import RunDir

    config = har_project(tmp_path / "har", shared_data, _space("qat"))
    settings = resolve_settings(config, board=BOARD, trials=1, max_epochs=1)
    trial = run_search(settings).trials[0]
    assert trial["state"] == "trained" and trial["variant"] == "qat", trial
    path = apply_trial(settings, 0)
    applied = load_config(path)
    assert applied.quantization.variant == "qat" and applied.optimize.finetune_epochs == 1
    assert "[quantization] variant = \"qat\"" in path.read_text().splitlines()[2]

    monkeypatch.setenv("MICROFORGE_REPORT_PROFILE", "0")
    summary = Project.from_toml(path).run()
    run = RunDir(summary.out_dir)
    report = json.loads((run.root / "report.json").read_text())
    assert report["quantization"]["variant"] == "qat"
    # the deployed model is the QAT fine-tuned one: not the PTQ of the trained float model
    int8 = run.int8_tflite.read_bytes()
    config = applied
    trained = run.load_keras()
    from microforge.pipeline.features import compute_features
    from microforge.workspace.data import ProjectData

    project = ProjectData(config)
    dataset, windows = project.load()
    features = compute_features(config, project.final_fold(), windows, dataset.sample_rate,
                                block=run.load_dsp())
    ptq = quantize_int8(trained, features.x["train"],
                        n_samples=config.quantization.representative_samples,
                        seed=config.split.seed)
    assert ptq != int8
    # and it is the search trial's model: the same test accuracy
    print(f"QAT trial: search test accuracy {trial['test_accuracy']:.4f}, `microforge run` "
          f"{summary.accuracy('int8')[0]:.4f}")
    assert summary.accuracy("int8")[0] == pytest.approx(trial["test_accuracy"], abs=0.005)


def test_applied_16x8_trial_deploys_the_16x8_network(shared_data, tmp_path, monkeypatch,
                                                     capsys):
    """Search one 16x8 trial, apply it, `microforge run` it: the run's model has int16 input
    and output, it is the trial's model (same test accuracy), and its C pipeline (int16
    features and scores) decides exactly as the Python pipeline (TFLM) on every test window on
    the host, and on the emulated Cortex-M4 for 16 of them; `verify` and `profile` run it."""
    import numpy as np

    from microforge.library.assemble import compile_project, load_trained
    from microforge.postprocess import StreamingPipeline
    from microforge.project import Project
    from microforge.runners.model_runners import TflmRunner
    from microforge.runners.pipeline_host import HostPipeline
    from microforge.runners.pipeline_mcu import run_pipeline_on_mcu
    from microforge.search.apply import apply_trial
    from microforge.workspace.rundir import RunDir

    config = har_project(tmp_path / "har", shared_data, _space("ptq_16x8"))
    settings = resolve_settings(config, board=BOARD, trials=1, max_epochs=3)
    trial = run_search(settings).trials[0]
    assert trial["state"] == "trained" and trial["variant"] == "ptq_16x8", trial
    path = apply_trial(settings, 0)
    assert load_config(path).quantization.variant == "ptq_16x8"
    assert "which the C pipeline deploys" in path.read_text().splitlines()[2]

    monkeypatch.setenv("MICROFORGE_REPORT_PROFILE", "0")
    summary = Project.from_toml(path).run()
    report = json.loads((RunDir(summary.out_dir).root / "report.json").read_text())
    assert report["quantization"]["variant"] == "ptq_16x8"
    assert summary.accuracy("int8")[0] == pytest.approx(trial["test_accuracy"], abs=0.005)

    trained = load_trained(path)
    runner = TflmRunner(trained.model_bytes)
    assert (runner.input_quant.bits, runner.output_quant.bits) == (16, 16)
    library = compile_project(path)
    assert library.constants.output_quant.bits == 16
    header = (library.out_dir / f"{library.name}_pipeline.h").read_text()
    assert f"typedef int16_t mf_{library.name}_pipeline_score;" in header
    for source in sorted(library.out_dir.glob("*.c")):  # the int16 paths compile strictly
        strict = subprocess.run(["gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic",
                                 "-O2", "-c", str(source), "-I", str(library.out_dir), "-o",
                                 os.devnull], capture_output=True, text=True)
        assert strict.returncode == 0, strict.stderr
    python = StreamingPipeline(trained.block, runner, trained.labels, trained.stride,
                               trained.postprocess)
    project = Project.from_toml(path)
    dataset, windows = project.load()
    test = np.unique(windows.recording[project.final_fold().mask("test")])
    recordings = [dataset.recordings[i].signal for i in test]
    py_runs = [python.run(signal) for signal in recordings]
    host = HostPipeline(library)
    c_runs = [host.run(signal) for signal in recordings]
    windows_n = sum(len(r) for r in py_runs)
    assert windows_n > 500 and c_runs == py_runs  # labels, scores, detections: all equal
    labels = [d.label for run in py_runs for d in run]
    assert len(set(labels)) > 2  # a trained model, not one class everywhere
    assert summary.accuracy("int8")[0] > 0.5  # 6 classes: well above chance
    mcu = run_pipeline_on_mcu(library, BOARD, recordings[:16])  # a window each
    assert mcu.decisions == py_runs[:16]
    # the commands on the applied file: compile, verify (C == Python on the M4), profile
    from microforge.cli import main

    capsys.readouterr()
    assert main(["compile", str(path), "-o", str(tmp_path / "lib")]) == 0
    assert "16x8 -> int16 scores" in capsys.readouterr().out.replace("\n", " ")
    assert main(["verify", str(path), "-b", BOARD, "-n", "4"]) == 0
    assert "C decisions equal the Python pipeline (TFLM) on 100.00 %" in capsys.readouterr().out
    assert main(["profile", str(path), "-b", BOARD]) == 0
    assert "nucleo_l4r5zi  yes" in capsys.readouterr().out
    print(f"16x8 trial: search test accuracy {trial['test_accuracy']:.4f}, `microforge run` "
          f"{summary.accuracy('int8')[0]:.4f}; {windows_n} test windows, C == Python on the host; "
          f"{sum(len(r) for r in mcu.decisions)} on the M4, network "
          f"{np.mean(mcu.network_instructions):,.0f} instructions per window")


def test_16x8_trial_is_costed_with_its_network_and_scored(shared_data, tmp_path):
    from microforge.search.trial import TrialJob, run_trial

    config = har_project(tmp_path / "har", shared_data, "")
    outcomes = {}
    for variant in ("ptq_int8", "ptq_16x8"):
        job = TrialJob(0, str(config), {"model.width": 0.25, "quantization.variant": variant},
                       BOARD, None, "emulator", 1, 0.25)
        outcomes[variant] = run_trial(job)
    int8, wide = outcomes["ptq_int8"]["cost"], outcomes["ptq_16x8"]["cost"]
    for variant, result in outcomes.items():
        assert result["state"] == "trained" and result["variant"] == variant, result
        assert 0.3 < result["accuracy"] <= 1.0
    print(f"int8: {int8}\n16x8: {wide}")
    assert "16x8 network" in wide["method"] and wide["scope"] == "pipeline"
    assert wide["dsp_instructions"] == int8["dsp_instructions"]  # same DSP, measured again
    # int16 activations: more arena, more RAM; the reference int16 kernels: more instructions
    assert wide["arena_bytes"] > int8["arena_bytes"] and wide["ram_bytes"] > int8["ram_bytes"]
    assert wide["network_instructions"] > int8["network_instructions"]
    assert wide["instructions"] == wide["dsp_instructions"] + wide["network_instructions"]


def test_16x8_keyword_spotting_candidate_is_costed(shared_data, tmp_path):
    """The Speech Commands example (MFCC, DS-CNN) in 16x8: its DS-CNN compiles in 16x8 and is
    measured on QEMU (over a 0.001 ms budget, so not trained)."""
    import tomllib
    from pathlib import Path

    from microforge.search.trial import TrialJob, run_trial
    from microforge.toml_text import to_toml

    example = tomllib.loads((Path(__file__).parents[2] / "examples" / "speech_commands"
                             / "microforge.toml").read_text())
    example["dataset"]["path"] = str(shared_data / "datasets" / "speech_commands_subset")
    example["project"]["output_dir"] = str(tmp_path / "build")
    config = tmp_path / "microforge.toml"
    config.write_text(to_toml(example))
    costs = {}
    for variant in ("ptq_int8", "ptq_16x8"):
        job = TrialJob(0, str(config), {"quantization.variant": variant, "model.width": 0.25,
                                        "model.depth": 1}, BOARD, 0.001, "emulator", 1, 0.2)
        result = run_trial(job)
        assert result["state"] == "infeasible" and "latency" in result["reason"], result
        costs[variant] = result["cost"]
    int8, wide = costs["ptq_int8"], costs["ptq_16x8"]
    print(f"int8: {int8}\n16x8: {wide}")
    assert "16x8 network" in wide["method"]
    assert wide["dsp_instructions"] == int8["dsp_instructions"]
    assert wide["arena_bytes"] > int8["arena_bytes"] and wide["ram_bytes"] > int8["ram_bytes"]
    assert wide["network_instructions"] > int8["network_instructions"]
