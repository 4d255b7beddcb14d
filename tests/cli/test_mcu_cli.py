"""`microforge verify | profile | deploy`: output on success; one-line errors, exit 2."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from microforge.cli import main
from microforge.targets.toolchain import toolchain_available

KWS = "models/mlperf_kws/kws_ref_model.tflite"
HELLO = "models/tflm_hello_world/hello_world_int8.tflite"
RESNET = "models/mlperf_ic/pretrainedResnet_quant.tflite"
needs_arm = pytest.mark.skipif(not toolchain_available("arm"),
                               reason="arm-none-eabi-gcc / qemu-system-arm not installed")


@needs_arm
@pytest.mark.slow
def test_verify_kws_on_cortex_m4(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", str(shared_data / KWS), "--board", "nucleo_l4r5zi", "--inputs", "20"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "OK: 20 random inputs (seed 0): outputs match TFLM (bit for bit); max |diff| 0" in out
    assert "flash (text + rodata + data):" in out and "stack high-water mark:" in out
    assert "estimated latency at 120 MHz:" in out and "1.2 cycles per instruction" in out
    assert "2,664,804 (" in out  # MACs


@needs_arm
def test_verify_hello_world_quick(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", str(shared_data / HELLO), "-b", "arduino_nano_33_ble_sense", "-n", "5",
                 "--seed", "3"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "OK: 5 random inputs (seed 3)" in out and "at 64 MHz" in out


@needs_arm
def test_verify_reads_an_input_file(shared_data: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    import numpy as np

    values = tmp_path / "x.npy"
    np.save(values, np.linspace(0, 6.28, 7, dtype=np.float32))
    code = main(["verify", str(shared_data / HELLO), "-b", "nucleo_l4r5zi",
                 "--input-file", str(values)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "OK: 7 inputs from x.npy" in out


@needs_arm
def test_verify_uses_every_window_of_the_input_file_unless_told(
        shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import numpy as np

    values = tmp_path / "many.npy"
    np.save(values, np.linspace(0, 6.28, 25, dtype=np.float32))  # more than the default 20
    argv = ["verify", str(shared_data / HELLO), "-b", "nucleo_l4r5zi", "--input-file",
            str(values)]
    assert main(argv) == 0
    assert "OK: 25 inputs from many.npy" in capsys.readouterr().out
    assert main([*argv, "--inputs", "4"]) == 0
    assert "OK: 4 inputs from many.npy" in capsys.readouterr().out


def _error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, captured.out + captured.err
    assert "Traceback" not in captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_unknown_board_is_one_line(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _error(capsys, ["verify", str(shared_data / KWS), "--board", "nope"])
    assert "unknown board 'nope'; known boards:" in line and "nucleo_l4r5zi" in line


def test_truncated_model_is_one_line(shared_data: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "cut.tflite"
    bad.write_bytes((shared_data / KWS).read_bytes()[:3000])
    line = _error(capsys, ["verify", str(bad), "--board", "nucleo_l4r5zi"])
    assert "cut.tflite" in line and "truncated" in line


@needs_arm
def test_model_too_big_for_the_board_is_one_line(shared_data: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    line = _error(capsys, ["verify", str(shared_data / RESNET), "--board", "stm32f103c8_bluepill",
                           "-n", "1"])
    assert line.startswith("error: pretrainedResnet_quant.tflite: needs ")
    assert "KB RAM, board stm32f103c8_bluepill has 20 KB" in line


@needs_arm
def test_stack_reserve_counts_against_the_board_ram(
        shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hello = str(shared_data / HELLO)
    line = _error(capsys, ["verify", hello, "--board", "stm32f103c8_bluepill", "-n", "1",
                           "--stack-kb", "20"])
    assert "KB RAM, board stm32f103c8_bluepill has 20 KB (RAM includes the 20 KB stack)" in line
    code = main(["verify", hello, "--board", "stm32f103c8_bluepill", "-n", "1", "--stack-kb", "1"])
    assert code == 0 and "OK:" in capsys.readouterr().out


def test_estimate_only_board_cannot_be_verified(shared_data: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    line = _error(capsys, ["verify", str(shared_data / HELLO), "--board", "esp32"])
    assert "no emulator here" in line and "microforge profile" in line


def test_deploy_unknown_format_is_one_line(shared_data: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    line = _error(capsys, ["deploy", str(shared_data / HELLO), "--board", "nucleo_l4r5zi",
                           "--format", "zip", "-o", str(tmp_path / "out")])
    assert "unknown format 'zip'; choose one of c, arduino, cmake" in line
    assert not (tmp_path / "out").exists()


def test_deploy_arduino_writes_the_zip(shared_data: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["deploy", str(shared_data / HELLO), "--board", "arduino_nano_33_ble_sense",
                 "--format", "arduino", "-o", str(tmp_path / "out"), "--name", "sine"])
    out = capsys.readouterr().out
    assert code == 0, out
    archive = tmp_path / "out" / "microforge_sine.zip"
    assert f"wrote {archive}" in out and "labels are 'class N'" in out
    assert "microforge_sine/library.properties" in zipfile.ZipFile(archive).namelist()


@needs_arm
def test_profile_one_board_table_and_json(shared_data: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from microforge.cli import console

    monkeypatch.setattr(console, "width", 200)
    target = tmp_path / "profile.json"
    code = main(["profile", str(shared_data / HELLO), "--board", "stm32f746g_disco",
                 "--json", str(target)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "stm32f746g_disco" in out and "cortex-m7" in out
    rows = json.loads(target.read_text())["rows"]
    cpi = rows[0]["cycles_per_instruction"]  # from the measured instruction mix (M7 table)
    assert 0.5 < cpi < 1.5 and f"{cpi:.2f} cycles/instruction (estimated from the measured" in out
    assert [r["board_id"] for r in rows] == ["stm32f746g_disco"]
    assert rows[0]["fits"] and rows[0]["instructions"] > 0 and rows[0]["macs"] == 16 + 256 + 16


@needs_arm
def test_verify_mismatch_exits_1_and_names_the_outputs(
        shared_data: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from microforge.measure import verify as mcu_verify

    real = mcu_verify.reference_outputs

    def off_by_one(model_bytes, info, inputs):
        how, outputs = real(model_bytes, info, inputs)
        outputs[1][0] = outputs[1][0] + 1  # corrupt input set 1's reference
        return how, outputs

    monkeypatch.setattr(mcu_verify, "reference_outputs", off_by_one)
    code = main(["verify", str(shared_data / HELLO), "-b", "nucleo_l4r5zi", "-n", "3"])
    captured = capsys.readouterr()
    assert code == 1
    assert "hello_world_int8.tflite on nucleo_l4r5zi: 1 output(s) of 3 input sets differ from " \
        "TFLM (bit for bit)" in captured.err
    assert "differs: input 1, output 0: 1 of 1 values differ (max |diff| 1)" in captured.out


@pytest.mark.skipif(not toolchain_available("riscv"), reason="RISC-V toolchain not installed")
def test_verify_on_the_esp32_c3_rv32imc(shared_data: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", str(shared_data / HELLO), "--board", "esp32_c3", "-n", "4"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "(rv32imc, QEMU virt)" in out and "OK: 4 random inputs" in out
    assert "at 160 MHz" in out and "1.3 cycles per instruction" in out


def test_untrained_project_is_one_line_naming_microforge_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.measure.project_fixture import write_project

    write_project(tmp_path)
    for command in (["verify", str(tmp_path), "--board", "nucleo_l4r5zi"],
                    ["profile", str(tmp_path / "microforge.toml"), "-b", "nucleo_l4r5zi"]):
        line = _error(capsys, command)
        assert "build/model_int8.tflite: the project is not trained; run `microforge run" in line


def test_folder_without_project_file_is_one_line(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    line = _error(capsys, ["profile", str(tmp_path)])
    assert "a folder without microforge.toml" in line


def test_project_on_an_estimate_only_board_cannot_be_verified(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.measure.project_fixture import fake_run_outputs, write_project

    fake_run_outputs(write_project(tmp_path))
    line = _error(capsys, ["verify", str(tmp_path), "--board", "esp32"])
    assert "no emulator here" in line
    line = _error(capsys, ["verify", str(tmp_path), "-b", "nucleo_l4r5zi", "--input-file",
                           str(tmp_path / "microforge.toml")])
    assert "--input-file is for a .tflite" in line


def test_profile_table_keeps_every_board_id_whole_at_100_columns() -> None:
    from rich.console import Console

    from microforge.cli.mcu import profile_table
    from microforge.measure.profile import ProfileRow
    from microforge.targets.boards import all_boards

    rows = [ProfileRow(b.id, b.name, b.core, b.clock_mhz, i % 2 == 0, 123_456, 45_678,
                       b.flash_bytes, b.ram_bytes, 2_664_804,
                       13_730_000 if i % 3 else None, "measured", 114.4, 1.2, "assumed",
                       i % 4 == 0, "" if i % 2 == 0 else "needs 300.0 KB RAM, board has 64 KB")
            for i, b in enumerate(all_boards())]
    console = Console(width=100, record=True)
    console.print(profile_table("kws_ref_model.tflite", rows))
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= 100
    for row in rows:
        assert any(line.lstrip().startswith(row.board_id + " ") for line in lines), row.board_id
    assert "…" not in console.export_text()
