"""The report's c_library section: the run's C library measured on the target board's emulated
core (flash, RAM, instructions, C == Python, bit-exact with TFLM) beside TFLM's estimate, in
report.json, report.html and the console summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microforge.cli.pipeline import c_library_rows
from microforge.pipeline.c_library_stage import c_library_section
from microforge.pipeline.profile_stage import DISABLE_ENV
from microforge.report import ReportData, render_html
from microforge.targets.toolchain import toolchain_available
from tests.measure.project_fixture import BOARD, write_project


def test_left_out_says_so(tmp_path: Path, monkeypatch) -> None:
    from microforge.project import Project

    monkeypatch.setenv(DISABLE_ENV, "0")
    project = Project.from_toml(write_project(tmp_path))
    section = c_library_section(project, tmp_path / "build")
    assert section["board"] == BOARD and section["absent"] == f"left out ({DISABLE_ENV}=0)"
    assert c_library_rows(section) == [(f"microforge C library on {BOARD}",
                                        f"not measured: left out ({DISABLE_ENV}=0)")]
    html = render_html(ReportData(project="p", extra={"c_library": section}))
    assert f"Not measured for {BOARD}: left out" in html


@pytest.mark.slow
@pytest.mark.skipif(not toolchain_available("arm"), reason="arm toolchain not installed")
def test_a_run_reports_the_c_library_beside_the_tflm_estimate(tmp_path: Path, monkeypatch,
                                                              tf, tflm, capsys) -> None:
    from microforge.cli.pipeline import print_summary
    from microforge.project import Project

    monkeypatch.delenv(DISABLE_ENV, raising=False)
    summary = Project.from_toml(write_project(tmp_path)).run()
    report = json.loads((summary.out_dir / "report.json").read_text())
    c = report["extra"]["c_library"] if "extra" in report else report["c_library"]
    assert c["absent"] is None, c["absent"]
    assert c["c_python"]["windows"] > 0 and c["c_python"]["agreeing"] == c["c_python"]["windows"]
    assert c["tflm_bitexact"]["passed"] and c["tflm_bitexact"]["max_abs_diff"] == 0
    assert c["instructions"] == c["dsp_instructions"] + c["network_instructions"] > 0
    assert 0 < c["library_flash_bytes"] < c["firmware_flash_bytes"] <= c["board_flash_bytes"]
    tflm_fit = c["tflm_estimate"]
    assert tflm_fit is not None and tflm_fit["flash_bytes"] > c["firmware_flash_bytes"]
    html = (summary.out_dir / "report.html").read_text()
    assert "board fit (microforge C, measured)" in html and "board fit, TFLM estimate" in html
    from microforge.cli import console

    monkeypatch.setattr(console, "width", 200)  # one line per row
    print_summary(summary)
    out = capsys.readouterr().out
    assert f"board {BOARD}, microforge C (measured)" in out
    assert f"board {BOARD}, TFLM estimate" in out
    n = c["c_python"]["windows"]
    assert f"{n} of {n} windows" in out and "bit-exact with TFLM" in out
    with capsys.disabled():
        print(f"\nC library on {BOARD}: library {c['library_flash_bytes']:,} B flash / "
              f"{c['library_ram_bytes']:,} B RAM, firmware {c['firmware_flash_bytes']:,} / "
              f"{c['firmware_ram_bytes']:,} B, {c['instructions']:,.0f} instructions; TFLM "
              f"estimate {tflm_fit['flash_bytes']:,} / {tflm_fit['ram_bytes']:,} B; C == "
              f"Python {n}/{n}")


def test_summary_rows_of_the_other_boards_come_from_the_profile_rows() -> None:
    from microforge.cli.pipeline import compare_board_rows

    row = {"board_id": "raspberry_pi_pico", "dsp_instructions": 7000, "estimate": False,
           "fits": True, "message": "fits", "flash_bytes": 20_480, "board_flash_bytes": 2 << 20,
           "ram_bytes": 7_782, "board_ram_bytes": 264 << 10}
    target = row | {"board_id": BOARD}
    unmeasured = row | {"board_id": "tiny", "dsp_instructions": None}
    esp = row | {"board_id": "esp32", "estimate": True, "fits": False,
                 "message": "needs 600.0 KB RAM, board has 520 KB"}
    rows = compare_board_rows({"rows": [target, row, unmeasured, esp]}, {"board": BOARD})
    assert rows == [
        ("board raspberry_pi_pico, microforge C (measured)",
         "[green]fits[/]: firmware 20.0 KB flash of 2,048 KB, 7.6 KB RAM of 264 KB"),
        ("board esp32, microforge C (estimated)",
         "[red]no[/]: needs 600.0 KB RAM, board has 520 KB: firmware 20.0 KB flash of 2,048 KB,"
         " 7.6 KB RAM of 264 KB"),
    ]
