from __future__ import annotations

import pytest

from microforge.errors import ConfigError
from microforge.paths import BOARDS_DIR
from microforge.targets.boards import (
    TFLM_RAM_ALLOWANCE_BYTES,
    TFLM_RUNTIME_FLASH_BYTES,
    all_boards,
    fit_check,
    load_board,
)

REQUIRED = {
    "arduino_nano_33_ble_sense": ("cortex-m4", 64, 1024, 256),
    "nucleo_l4r5zi": ("cortex-m4", 120, 2048, 640),
    "stm32f746g_disco": ("cortex-m7", 216, 1024, 320),
    "raspberry_pi_pico": ("cortex-m0plus", 133, 2048, 264),
    "sparkfun_edge": ("cortex-m4", 48, 1024, 384),
    "b_u585i_iot02a": ("cortex-m33", 160, 2048, 786),
    "esp32": ("xtensa-lx6", 240, 4096, 520),
    "esp32_c3": ("rv32imc", 160, 4096, 400),
    "stm32f103c8_bluepill": ("cortex-m3", 72, 64, 20),
}
MACHINES = {"cortex-m4": "mps2-an386", "cortex-m7": "mps2-an500", "cortex-m33": "mps2-an505",
            "cortex-m3": "mps2-an385", "rv32imc": "virt"}


@pytest.mark.parametrize("board_id", sorted(REQUIRED))
def test_required_boards_load_with_their_figures(board_id):
    board = load_board(board_id)
    assert (board.core, board.clock_mhz, board.flash_kb, board.ram_kb) == REQUIRED[board_id]
    assert board.fpu in ("none", "sp", "dp")
    assert board.source


@pytest.mark.parametrize("board_id", sorted(REQUIRED))
def test_profiles_name_datasheets_and_a_consistent_machine(board_id):
    board = load_board(board_id)
    assert board.datasheets and all(u.startswith("https://") for u in board.datasheets)
    if board.core in MACHINES:
        assert board.emulator == MACHINES[board.core] and board.emulated
    from microforge.targets.cores import core_spec

    assert board.emulator == core_spec(board).machine  # the profile says what verify runs on
    if board.fpu != "none" or board.dsp_ext:
        assert board.core in ("cortex-m4", "cortex-m7", "cortex-m33", "xtensa-lx6")


def test_arch_follows_the_core():
    assert load_board("nucleo_l4r5zi").arch == "arm"
    assert load_board("esp32_c3").arch == "riscv"
    assert load_board("esp32").arch == "xtensa" and not load_board("esp32").emulated


def test_datasheets_must_be_a_list_of_strings(tmp_path):
    text = (BOARDS_DIR / "nucleo_l4r5zi.toml").read_text(encoding="utf-8")
    bad = text.split("datasheets")[0] + "datasheets = 3\n"
    (tmp_path / "nucleo_l4r5zi.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(ConfigError, match="datasheets must be a list"):
        load_board("nucleo_l4r5zi", boards_dir=tmp_path)


def test_all_boards_lists_every_profile_once():
    ids = [b.id for b in all_boards()]
    assert set(REQUIRED) <= set(ids)
    assert len(ids) == len(set(ids))


def test_emulator_none_is_none_and_arm_boards_have_one():
    assert load_board("esp32").emulator is None
    assert load_board("esp32").estimate_only
    assert load_board("nucleo_l4r5zi").emulator == "mps2-an386"


def test_unknown_board_lists_known_ones():
    with pytest.raises(ConfigError, match="unknown board 'nope'.*nucleo_l4r5zi"):
        load_board("nope")


def test_bad_profile_is_a_config_error(tmp_path):
    (tmp_path / "x.toml").write_text('id = "x"\nname = "X"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="missing field"):
        load_board("x", boards_dir=tmp_path)


def test_fit_adds_tflm_reserves_and_reports_percentages():
    board = load_board("arduino_nano_33_ble_sense")
    fit = fit_check(board, 20 * 1024, 10 * 1024)
    assert fit.fits
    assert fit.flash_bytes == 20 * 1024 + TFLM_RUNTIME_FLASH_BYTES
    assert fit.ram_bytes == 10 * 1024 + TFLM_RAM_ALLOWANCE_BYTES
    assert fit.flash_used_pct == pytest.approx(100 * fit.flash_bytes / (1024 * 1024), abs=0.01)
    assert fit.ram_used_pct == pytest.approx(100 * fit.ram_bytes / (256 * 1024), abs=0.01)
    assert "fits" in fit.message


def test_no_fit_when_ram_exceeds_the_board():
    board = load_board("raspberry_pi_pico")
    fit = fit_check(board, 10_000, 264 * 1024)  # arena alone fills the RAM; the reserve tips it
    assert not fit.fits
    assert "does not fit" in fit.message and "RAM" in fit.message
    exact = fit_check(board, 0, 264 * 1024, reserve_ram_bytes=0, reserve_flash_bytes=0)
    assert exact.fits and exact.ram_used_pct == 100.0
