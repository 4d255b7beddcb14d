"""verify / profile of a trained project: the C pipeline on emulated cores against the Python
pipeline, DSP and network measured apart; the run's report carries the profile section."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from microforge.errors import ConfigError
from microforge.measure.project_inputs import load_project_inputs
from microforge.measure.project_verify import compare_decisions
from microforge.postprocess.decide import Decision
from microforge.targets.toolchain import toolchain_available
from microforge.workspace.trained import project_config_path
from tests.measure.project_fixture import (
    BOARD,
    STRIDE,
    WINDOW,
    fake_run_outputs,
    train_project,
    write_project,
)

needs_arm = pytest.mark.skipif(not toolchain_available("arm"),
                               reason="arm-none-eabi-gcc / qemu-system-arm not installed")


def test_project_paths_are_told_from_models(tmp_path: Path) -> None:
    assert project_config_path(tmp_path / "m.tflite") is None
    assert project_config_path(tmp_path / "x.toml") == tmp_path / "x.toml"
    with pytest.raises(ConfigError, match="a folder without microforge.toml"):
        project_config_path(tmp_path)
    with pytest.raises(ConfigError, match="no such project folder"):
        project_config_path(tmp_path / "typo")
    (tmp_path / "microforge.toml").write_text("")
    assert project_config_path(tmp_path) == tmp_path / "microforge.toml"


def test_untrained_project_names_the_command(tmp_path: Path) -> None:
    toml = write_project(tmp_path)
    with pytest.raises(ConfigError, match=r"not trained; run `microforge run .*` first"):
        load_project_inputs(toml)


def test_inputs_are_the_test_recordings_cut_to_n_windows(tmp_path: Path) -> None:
    toml = write_project(tmp_path)
    fake_run_outputs(toml)
    every = load_project_inputs(toml)
    assert every.source == "test recordings of the final split"
    assert len(every.recordings) == 4  # 25 % of 16 recordings
    assert every.n_windows == 4 * len(range(WINDOW, 400 + 1, STRIDE))
    three = load_project_inputs(toml, 3)
    assert three.n_windows == 3 and len(three.recordings) == 1
    assert len(three.recordings[0]) == WINDOW + 2 * STRIDE
    np.testing.assert_array_equal(three.recordings[0], every.recordings[0][: WINDOW + 2 * STRIDE])


def test_compare_decisions_counts_and_names_differences() -> None:
    a = [Decision(0, 128, 1, 0.5, True), Decision(1, 192, 2, 0.75, True)]
    b = [Decision(0, 128, 1, 0.5, True), Decision(1, 192, 3, 0.75, True)]
    agreeing, lines = compare_decisions([a], [b], ["w", "x", "y", "z"])
    assert agreeing == 1
    assert lines == ["recording 0, window 1: C y 0.7500, Python z 0.7500"]
    agreeing, lines = compare_decisions([a[:1]], [b], ["w", "x", "y", "z"])
    assert agreeing == 1 and lines == ["recording 0: 1 decisions in C, 2 in Python"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Trained once; the run's report profiles the target and two compare boards."""
    return train_project(tmp_path_factory.mktemp("tiny"), ["raspberry_pi_pico", "esp32"])


@needs_arm
@pytest.mark.slow
def test_c_pipeline_equals_python_on_the_cortex_m4(trained: Path, tf, tflm) -> None:
    from microforge.measure.project_verify import verify_project_on_mcu

    report = verify_project_on_mcu(trained, BOARD)
    assert report.n_windows == 20 and report.agreement == 1.0 and report.passed
    assert not report.mismatches and not report.fixed_point
    dsp, net, glue = (report.parts[p] for p in ("dsp", "network", "pipeline"))
    assert dsp.instructions > 1000 and net.instructions > 10 * dsp.instructions
    assert glue.instructions is None
    assert net.flash_bytes > dsp.flash_bytes > 0 and net.ram_bytes > 0  # the arena
    parts = dsp.flash_bytes + net.flash_bytes + glue.flash_bytes
    assert parts == report.library_flash_bytes < report.flash_bytes
    assert dsp.ram_bytes + net.ram_bytes + glue.ram_bytes == report.library_ram_bytes
    assert report.latency_ms("network") > report.latency_ms("dsp") > 0


@needs_arm
@pytest.mark.slow
def test_fixed_point_dsp_on_the_cortex_m0plus(trained: Path, tf, tflm) -> None:
    from microforge.measure.project_verify import verify_project_on_mcu

    report = verify_project_on_mcu(trained, "raspberry_pi_pico", max_windows=4)
    assert report.n_windows == 4 and report.passed and report.fixed_point


@needs_arm
@pytest.mark.slow
def test_run_report_has_the_profile_section(trained: Path) -> None:
    report = json.loads((trained.parent / "build" / "report.json").read_text())
    profile = report["profile"]
    assert profile["absent"] is None
    rows = {r["board_id"]: r for r in profile["rows"]}
    assert list(rows) == [BOARD, "raspberry_pi_pico", "esp32"]
    m4, pico, esp32 = rows[BOARD], rows["raspberry_pi_pico"], rows["esp32"]
    assert m4["fits"] and not m4["estimate"] and not m4["fixed_point"]
    assert pico["fixed_point"] and pico["dsp_instructions"] > m4["dsp_instructions"]
    assert esp32["estimate"] and "proxy" in esp32["method"]
    for row in (m4, pico):
        assert row["network_instructions"] > row["dsp_instructions"] > 0
        assert row["part_flash"]["network"] > 0 and row["part_ram"]["network"] > 0
        total = row["dsp_latency_ms"] + row["network_latency_ms"]
        assert row["total_latency_ms"] == pytest.approx(total)
    html = (trained.parent / "build" / "report.html").read_text()
    assert "generated C pipeline" in html and "fixed-point DSP" in html


@needs_arm
@pytest.mark.slow
def test_verify_and_profile_commands_on_the_project(trained: Path, tf, tflm, tmp_path: Path,
                                                    capsys) -> None:
    from microforge.cli import main

    code = main(["verify", str(trained.parent), "--board", BOARD, "--inputs", "3"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "OK: 3 windows of 1 test recordings of the final split" in out
    assert "on 100.00 % (bar 99.5 %)" in out and "stack high-water mark" in out
    for part in ("DSP", "network", "glue"):
        assert f"│ {part}" in out
    rows_file = tmp_path / "rows.json"
    code = main(["profile", str(trained), "-b", "raspberry_pi_pico", "--json", str(rows_file)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "raspberry_pi_pico: cortex-m0plus at 133 MHz, fixed-point DSP, 2,048 KB" in out
    assert re.search(r"\syes\s+[\d.]+k\s+[\d.]+[kM]\s+[\d.]+\s+[\d.]+\s", out), out
    (row,) = json.loads(rows_file.read_text())["rows"]
    assert row["board_id"] == "raspberry_pi_pico" and row["fits"] and row["fixed_point"]
    assert row["network_instructions"] > row["dsp_instructions"] > 0


@needs_arm
@pytest.mark.slow
def test_verify_command_exits_1_when_the_c_pipeline_decides_otherwise(
        trained: Path, tf, tflm, capsys, monkeypatch) -> None:
    """A C pipeline compiled with a detector threshold of 1 reports no detection where the
    Python pipeline (argmax) decides every window: every window differs."""
    import microforge.library.assemble as compile_project
    from microforge.cli import main
    from microforge.postprocess import PostprocessParams

    real = compile_project.compile_pipeline

    def with_detector(block, model, labels, stride, postprocess, out_dir, **kw):
        strict = PostprocessParams("detector", 1, 1.0, 0.0, ())
        return real(block, model, labels, stride, strict, out_dir, **kw)

    monkeypatch.setattr(compile_project, "compile_pipeline", with_detector)
    code = main(["verify", str(trained), "--board", BOARD, "-n", "2"])
    captured = capsys.readouterr()
    assert code == 1, captured.out
    assert "MISMATCH" in captured.out and "differs: recording 0, window 0: C " in captured.out
    assert "agrees with the Python pipeline on 0.00 % of 2 windows (2 differ)" in captured.err
