"""profile_model: one measurement per distinct core, fit per board, latency from the clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.errors import ModelError
from microforge.measure.profile import profile_model
from microforge.targets.boards import all_boards, load_board
from microforge.targets.toolchain import toolchain_available

HELLO = "models/tflm_hello_world/hello_world_int8.tflite"
RESNET = "models/mlperf_ic/pretrainedResnet_quant.tflite"
KWS = "models/mlperf_kws/kws_ref_model.tflite"
needs_arm = pytest.mark.skipif(not toolchain_available("arm"),
                               reason="arm-none-eabi-gcc / qemu-system-arm not installed")


@needs_arm
def test_boards_of_one_core_share_a_measurement(shared_data: Path) -> None:
    boards = [load_board(b) for b in ("nucleo_l4r5zi", "sparkfun_edge", "stm32f746g_disco")]
    rows = profile_model(shared_data / HELLO, boards)
    m4, edge, m7 = rows
    assert [r.board_id for r in rows] == [b.id for b in boards]
    assert m4.instructions == edge.instructions and m4.instructions > 0
    assert m7.instructions > 0 and m7.core == "cortex-m7"
    # same instructions, latency scales with 1 / clock
    assert m4.latency_ms / edge.latency_ms == pytest.approx(48 / 120)
    # cycles from the measured instruction mix (M4 table), not the flat 1.2 assumption
    assert 1.0 < m4.cycles_per_instruction < 2.5 and "instruction mix" in m4.cpi_source
    assert m4.latency_ms == pytest.approx(m4.instructions * m4.cycles_per_instruction / 120e3)
    assert all(r.fits and r.message == "fits" and not r.estimate for r in rows)
    assert m4.flash_bytes > 0 and m4.ram_bytes > 0 and m4.macs == 16 + 256 + 16
    assert m4.to_dict()["instructions_per_mac"] == pytest.approx(m4.instructions / m4.macs)


@needs_arm
def test_model_too_big_for_every_board_of_a_core_is_still_measured(shared_data: Path) -> None:
    (row,) = profile_model(shared_data / RESNET, [load_board("stm32f103c8_bluepill")])
    assert not row.fits and row.latency_ms is not None and row.latency_ms > 0
    assert row.instructions > row.macs  # measured with the machine's whole memory
    assert "KB RAM, board has 20 KB" in row.message and "KB flash, board has 64 KB" in row.message
    assert row.flash_bytes > row.board_flash_bytes and row.ram_bytes > row.board_ram_bytes
    assert "whole memory (too big for these boards)" in row.method and not row.estimate


def test_missing_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no such model file"):
        profile_model(tmp_path / "none.tflite")


@pytest.mark.slow
@pytest.mark.skipif(not (toolchain_available("arm") and toolchain_available("riscv")),
                    reason="Arm and RISC-V toolchains needed")
def test_kws_over_every_board(shared_data: Path) -> None:
    rows = {r.board_id: r for r in profile_model(shared_data / KWS)}
    assert set(rows) == {b.id for b in all_boards()}
    esp32, c3 = rows["esp32"], rows["esp32_c3"]
    assert esp32.instructions == c3.instructions and esp32.estimate and not c3.estimate
    assert "proxy for xtensa-lx6" in esp32.method
    assert rows["raspberry_pi_pico"].instructions > rows["nucleo_l4r5zi"].instructions
    assert all(r.fits for r in rows.values())
    assert rows["nucleo_l4r5zi"].instructions_per_mac < 10
