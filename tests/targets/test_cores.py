"""Core specs derived from the board profiles."""

from __future__ import annotations

import pytest

from microforge.errors import ConfigError
from microforge.targets.boards import all_boards, load_board
from microforge.targets.cores import (
    MACHINES,
    core_names,
    core_spec,
    machine_memory,
    make_core_spec,
)


def test_every_board_has_a_core_with_a_memory_map() -> None:
    for board in all_boards():
        core = core_spec(board)
        assert core.cycles_per_instruction > 0 and core.cpi_source.startswith("assumption")
        if core.machine is not None:
            memory = machine_memory(core.machine)
            assert memory.flash_max > 0 and memory.ram_max > 0


def test_cortex_m4_hard_float() -> None:
    core = core_spec(load_board("nucleo_l4r5zi"))
    assert (core.name, core.arch, core.machine) == ("cortex-m4", "arm", "mps2-an386")
    assert core.cflags == ("-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16",
                           "-mfloat-abi=hard")


def test_cortex_m7_and_m33_use_fpv5() -> None:
    m7 = core_spec(load_board("stm32f746g_disco"))
    assert m7.machine == "mps2-an500" and "-mfpu=fpv5-sp-d16" in m7.cflags
    assert "-mfpu=fpv5-d16" in make_core_spec("cortex-m7", "dp").cflags
    m33 = core_spec(load_board("b_u585i_iot02a"))
    assert m33.machine == "mps2-an505" and "-mcpu=cortex-m33" in m33.cflags
    assert "-mcpu=cortex-m33+nodsp" in make_core_spec("cortex-m33", "sp", dsp_ext=False).cflags


def test_m0plus_runs_on_the_m3_machine_with_soft_float() -> None:
    core = core_spec(load_board("raspberry_pi_pico"))
    assert core.machine == "mps2-an385"
    assert core.cflags == ("-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft")
    assert "-mfloat-abi=soft" in make_core_spec("cortex-m4", "none").cflags


def test_riscv_and_xtensa() -> None:
    rv = core_spec(load_board("esp32_c3"))
    assert (rv.name, rv.arch, rv.machine) == ("rv32imc", "riscv", "virt")
    assert rv.cflags == ("-march=rv32imc", "-mabi=ilp32")
    lx6 = core_spec(load_board("esp32"))
    assert (lx6.arch, lx6.machine, lx6.cflags) == ("xtensa", None, ())


def test_an505_uses_secure_aliases() -> None:
    memory = MACHINES["mps2-an505"]
    assert (memory.flash_origin, memory.ram_origin) == (0x10000000, 0x38000000)


def test_unknown_core_and_machine() -> None:
    with pytest.raises(ConfigError, match="unknown core 'cortex-a53'"):
        make_core_spec("cortex-a53")
    with pytest.raises(ConfigError, match="no memory map"):
        machine_memory("lm3s6965evb")
    assert {"cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33",
            "rv32imc", "xtensa-lx6"} <= set(core_names())
