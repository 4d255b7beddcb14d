"""Building firmware for a board: linker script, sizes, board fit, missing toolchain."""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.errors import BoardFitError, ToolchainError
from microforge.runners import firmware
from microforge.runners.firmware import FirmwareSource, build_firmware, linker_script
from microforge.targets.boards import load_board
from microforge.targets.cores import core_spec
from microforge.targets.toolchain import toolchain_available

needs_arm = pytest.mark.skipif(not toolchain_available("arm"), reason="no arm-none-eabi-gcc")
needs_riscv = pytest.mark.skipif(not toolchain_available("riscv"), reason="no RISC-V gcc")

APP = "#include \"mf_harness.h\"\nint mf_app_main(void) { return 0; }\n"
LIBRARY = """#include <stdint.h>
const uint8_t mf_lib_table[3000] = {1, 2, 3};
uint8_t mf_lib_buffer[700];
int mf_lib_touch(int i);
int mf_lib_touch(int i) { mf_lib_buffer[i % 700] = 1; return mf_lib_table[i % 3000]; }
"""
APP_USING_LIBRARY = """#include "mf_harness.h"
int mf_lib_touch(int i);
int mf_app_main(void) { return mf_lib_touch(5); }
"""


def test_linker_script_has_the_board_sizes() -> None:
    board = load_board("nucleo_l4r5zi")
    script = linker_script(board, core_spec(board), stack_bytes=4096)
    assert "FLASH (rx) : ORIGIN = 0x00000000, LENGTH = 2097152" in script
    assert "RAM (rwx)  : ORIGIN = 0x20000000, LENGTH = 655360" in script
    assert ". += 4096;" in script


def test_linker_script_clamps_to_the_machine() -> None:
    board = load_board("b_u585i_iot02a")  # 786 KB RAM fits the an505's 2 MB SSRAM1
    script = linker_script(board, core_spec(board))
    assert "ORIGIN = 0x10000000, LENGTH = 2097152" in script
    assert "ORIGIN = 0x38000000, LENGTH = 804864" in script
    rv = load_board("esp32_c3")
    assert "ORIGIN = 0x80000000" in linker_script(rv, core_spec(rv))


@needs_arm
def test_sizes_of_whole_firmware_and_library(tmp_path: Path) -> None:
    lib = tmp_path / "lib.c"
    lib.write_text(LIBRARY)
    source = FirmwareSource([lib], [], APP_USING_LIBRARY, name="sizes")
    image = build_firmware("nucleo_l4r5zi", source, tmp_path / "build")
    assert image.elf.is_file() and image.core.name == "cortex-m4"
    sections = image.sections.sections
    assert image.flash_bytes == sections[".text"] + sections[".rodata"] + sections[".data"]
    assert image.ram_bytes == sections[".data"] + sections[".bss"]
    assert sections[".stack"] == image.stack_reserved == firmware.DEFAULT_STACK_BYTES
    assert 3000 <= image.library_flash_bytes < 3000 + 200
    assert 700 <= image.library_ram_bytes < 700 + 16
    assert image.flash_bytes > image.library_flash_bytes + 200  # startup, harness, app


@needs_arm
def test_ram_overflow_is_a_board_fit_error(tmp_path: Path) -> None:
    lib = tmp_path / "big.c"
    lib.write_text("unsigned char mf_big[40000];\n"
                   "int mf_big_touch(void) { mf_big[7] = 1; return mf_big[9]; }\n")
    app = ("#include \"mf_harness.h\"\nint mf_big_touch(void);\n"
           "int mf_app_main(void) { return mf_big_touch(); }\n")
    with pytest.raises(BoardFitError) as info:
        build_firmware("stm32f103c8_bluepill", FirmwareSource([lib], [], app, name="big"),
                       tmp_path / "build")
    message = str(info.value)
    assert message.startswith("big: needs ")
    assert "KB RAM, board stm32f103c8_bluepill has 20 KB" in message
    need = float(message.split("needs ")[1].split(" KB")[0])
    assert 40000 / 1024 + 8 <= need < 40000 / 1024 + 8 + 2  # array + 8 KB stack + harness


@needs_arm
def test_flash_overflow_is_a_board_fit_error(tmp_path: Path) -> None:
    lib = tmp_path / "table.c"
    lib.write_text("const unsigned char mf_table[70000] = {1};\n"
                   "int mf_table_at(int i) { return mf_table[i]; }\n")
    app = ("#include \"mf_harness.h\"\nint mf_table_at(int i);\n"
           "int mf_app_main(void) { return mf_table_at(3); }\n")
    with pytest.raises(BoardFitError, match=r"table: needs 6\d\.\d KB flash, board "
                                            r"stm32f103c8_bluepill has 64 KB"):
        build_firmware("stm32f103c8_bluepill", FirmwareSource([lib], [], app, name="table"),
                       tmp_path / "build")


@needs_riscv
def test_riscv_firmware_builds(tmp_path: Path) -> None:
    image = build_firmware("esp32_c3", FirmwareSource([], [], APP, name="rv"), tmp_path)
    assert image.core.arch == "riscv" and image.flash_bytes > 0
    assert image.library_flash_bytes == 0 and image.library_ram_bytes == 0


def test_estimate_only_core_has_no_firmware(tmp_path: Path) -> None:
    with pytest.raises(ToolchainError, match="xtensa-lx6 has no toolchain or emulator"):
        build_firmware("esp32", FirmwareSource([], [], APP), tmp_path)


def test_missing_toolchain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("microforge.targets.toolchain.shutil.which", lambda name: None)
    with pytest.raises(ToolchainError, match="toolchain missing: install arm-none-eabi-gcc"):
        build_firmware("nucleo_l4r5zi", FirmwareSource([], [], APP), tmp_path)


@needs_arm
def test_library_must_compile_cleanly(tmp_path: Path) -> None:
    lib = tmp_path / "warn.c"
    lib.write_text("int mf_warn(int x) { int unused; return x; }\n")
    with pytest.raises(RuntimeError, match="unused"):
        build_firmware("nucleo_l4r5zi", FirmwareSource([lib], [], APP), tmp_path / "b")
