"""The instruction mix from the QEMU plugin (mf_insn_class.c, mix=): a hand-written loop of known
instructions on Cortex-M4, Cortex-M0+ and RV32IMC is counted class by class, including which
conditional branches were taken; the class counts add up to the instruction count."""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.runners.firmware import FirmwareSource, build_firmware
from microforge.runners.mcu import run_firmware
from microforge.targets.toolchain import toolchain_available

needs_arm = pytest.mark.skipif(not toolchain_available("arm"), reason="no arm-none-eabi-gcc")
needs_riscv = pytest.mark.skipif(not toolchain_available("riscv"), reason="no RISC-V gcc")

# 10 iterations of: load, load, multiply(-accumulate), store, subtract, conditional branch, on a
# scratch area of the stack; all set-up inside the asm so the compiler adds nothing measured.
LOOP_APP = r"""#include "mf_harness.h"
int mf_app_main(void) {
    mf_measure_begin();
#if defined(__ARM_ARCH_6M__)
    __asm__ volatile(".syntax unified\n"
                     "sub sp, sp, #16\n mov r0, sp\n movs r1, #10\n"
                     "1: ldr r2, [r0]\n ldr r3, [r0, #4]\n muls r2, r3, r2\n str r2, [r0, #8]\n"
                     "subs r1, r1, #1\n bne 1b\n add sp, sp, #16\n.syntax divided"
                     : : : "r0", "r1", "r2", "r3", "cc", "memory");
#elif defined(__arm__)
    __asm__ volatile("sub sp, sp, #16\n mov r0, sp\n movs r1, #10\n"
                     "1: ldr r2, [r0]\n ldr r3, [r0, #4]\n mla r2, r2, r3, r2\n"
                     "str r2, [r0, #8]\n subs r1, r1, #1\n bne 1b\n add sp, sp, #16"
                     : : : "r0", "r1", "r2", "r3", "cc", "memory");
#else
    __asm__ volatile("addi sp, sp, -16\n mv t0, sp\n li t1, 10\n"
                     "1: lw t2, 0(t0)\n lw t3, 4(t0)\n mul t2, t2, t3\n sw t2, 8(t0)\n"
                     "addi t1, t1, -1\n bnez t1, 1b\n addi sp, sp, 16"
                     : : : "t0", "t1", "t2", "t3", "memory");
#endif
    mf_measure_end();
    return 0;
}
"""

# per iteration: the first load follows the branch (not pipelined), the second follows a load
# (pipelined on Arm), the store follows the multiply; set-up: sub/add sp, mov, movs = 4 ALU;
# the `bl`/`jal` to mf_measure_end is the call
ARM_MIX = {"alu": 4 + 10, "load": 10, "mem_pipelined": 10, "store": 10, "mul": 10, "call": 1,
           "branch_taken": 9, "branch_not_taken": 1}
RISCV_MIX = {"alu": 4 + 10, "load": 20, "store": 10, "mul": 10, "call": 1, "branch_taken": 9,
             "branch_not_taken": 1}


@pytest.mark.parametrize(("board", "expected"), [
    pytest.param("nucleo_l4r5zi", ARM_MIX, marks=needs_arm),
    pytest.param("raspberry_pi_pico", ARM_MIX, marks=needs_arm),
    pytest.param("esp32_c3", RISCV_MIX, marks=needs_riscv),
])
def test_known_loop_is_counted_by_class(tmp_path: Path, board: str,
                                        expected: dict[str, int]) -> None:
    image = build_firmware(board, FirmwareSource([], [], LOOP_APP, name="mix"), tmp_path / "b")
    run = run_firmware(image, tmp_path, {})
    assert run.exit_code == 0
    (mix,) = run.mixes
    assert mix.total == run.instructions[0] == sum(expected.values())
    assert {k: v for k, v in mix.counts.items() if v} == expected
