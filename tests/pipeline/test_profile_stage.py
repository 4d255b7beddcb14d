"""The report's profile section: why it is absent when it is, and how report.html shows it.
(The measured section of a real run is checked in tests/targets/test_project_verify.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.pipeline.profile_stage import DISABLE_ENV, profile_section
from microforge.report import ReportData, render_html
from microforge.targets.toolchain import toolchain_available
from tests.measure.project_fixture import BOARD, fake_run_outputs, write_project


@pytest.fixture
def project(tmp_path: Path):
    from microforge.project import Project

    return Project.from_toml(write_project(tmp_path, ["raspberry_pi_pico", BOARD]))


def test_boards_are_the_target_then_the_compare_boards(project, tmp_path: Path,
                                                       monkeypatch) -> None:
    monkeypatch.setenv(DISABLE_ENV, "0")
    section = profile_section(project, tmp_path / "build")
    assert section["boards"] == [BOARD, "raspberry_pi_pico"]  # no duplicate
    assert section["rows"] == [] and section["absent"] == f"left out ({DISABLE_ENV}=0)"


def test_without_the_arm_toolchain_the_section_says_what_to_install(project, tmp_path: Path,
                                                                    monkeypatch) -> None:
    import microforge.targets.toolchain as toolchain

    monkeypatch.delenv(DISABLE_ENV, raising=False)
    monkeypatch.setattr(toolchain, "toolchain_available", lambda arch: False)
    section = profile_section(project, fake_run_outputs(project.config.base_dir
                                                        / "microforge.toml"))
    assert section["rows"] == []
    assert "Arm toolchain is not installed" in section["absent"]
    assert "gcc-arm-none-eabi" in section["absent"]


@pytest.mark.skipif(not toolchain_available("arm"), reason="arm toolchain not installed")
def test_a_run_without_int8_model_or_a_broken_one_is_absent_not_an_error(
        project, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(DISABLE_ENV, raising=False)
    section = profile_section(project, tmp_path / "empty")
    assert "no model_int8.tflite" in section["absent"]
    out = fake_run_outputs(project.config.base_dir / "microforge.toml")  # a placeholder model
    section = profile_section(project, out)
    assert section["rows"] == [] and section["absent"].startswith("not measured: ")
    assert "\n" not in section["absent"]


ROW = {
    "board_id": BOARD, "board_name": "ST NUCLEO-L4R5ZI", "core": "cortex-m4", "fits": True,
    "message": "fits", "fixed_point": False, "estimate": False, "method": "measured",
    "dsp_instructions": 6938, "network_instructions": 825342, "dsp_latency_ms": 0.0694,
    "network_latency_ms": 8.2534, "part_flash": {"dsp": 148, "network": 8872, "pipeline": 1160},
    "part_ram": {"dsp": 0, "network": 1536, "pipeline": 3200}, "flash_bytes": 12352,
    "ram_bytes": 6180,
}


def test_html_shows_the_rows_and_the_estimate_marks() -> None:
    estimate = ROW | {"board_id": "esp32", "board_name": "ESP32", "core": "xtensa-lx6",
                      "estimate": True, "fixed_point": True}
    unmeasured = ROW | {"board_name": "Tiny", "dsp_instructions": None, "fits": False,
                        "method": "not built for cortex-m0plus (needs 300 KB RAM)"}
    profile = {"boards": [BOARD], "rows": [ROW, estimate, unmeasured], "absent": None,
               "note": "the note"}
    html = render_html(ReportData(project="p", extra={"profile": profile}))
    assert "generated C pipeline" in html and "the note" in html
    assert "<td>6,938</td><td>825,342</td>" in html and "<td>0.07</td><td>8.25</td>" in html
    assert "<td>148 / 0</td>" in html and "<td>8,872 / 1,536</td>" in html
    assert "6,938 *" in html and "ESP32 (xtensa-lx6, fixed-point DSP)" in html
    assert "not built for cortex-m0plus" in html


def test_html_says_why_the_section_is_absent() -> None:
    profile = {"boards": [BOARD, "esp32"], "rows": [], "absent": "no toolchain", "note": ""}
    html = render_html(ReportData(project="p", extra={"profile": profile}))
    assert f"Not measured for {BOARD}, esp32: no toolchain." in html
    assert "generated C pipeline" not in render_html(ReportData(project="p"))
