"""Core facts (code data, not board data): compiler flags, the QEMU machine that runs the core,
its memory map there, and the cycles-per-instruction assumption used for latency estimates.

Emulation notes:
- Cortex-M0+: QEMU 7.2 has only `microbit` (a Cortex-M0 with 16 KB RAM), too small for most
  models. Code built with -mcpu=cortex-m0plus (Armv6-M) runs on `mps2-an385` (a Cortex-M3):
  Armv7-M executes the Armv6-M instruction subset, so the instruction stream measured is the one
  an M0+ executes. Cycle timing differs, hence the separate CPI assumption.
- Cortex-M33: `mps2-an505` boots in the Secure state; code and data use the Secure aliases
  (0x10000000, 0x38000000) of the SSRAMs.
- RV32IMC: `virt` with -bios none; picolibc's rv32im multilib (no rv32imc one) links fine with
  rv32imc code.
- Xtensa LX6 (ESP32): no toolchain or emulator here; estimate only (machine None).
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.errors import ConfigError
from microforge.targets.boards import Board

KB = 1024


@dataclass(frozen=True)
class CoreSpec:
    name: str  # "cortex-m4", "cortex-m7", "cortex-m33", "cortex-m3", "cortex-m0plus", "rv32imc"...
    arch: str  # "arm" | "riscv" | "xtensa"
    cflags: tuple[str, ...]  # -mcpu/-mthumb/-mfpu/-mfloat-abi or -march/-mabi
    machine: str | None  # QEMU machine that verifies this core (None: estimate only)
    cycles_per_instruction: float  # assumption used for latency estimates, with `cpi_source`
    cpi_source: str


@dataclass(frozen=True)
class MachineMemory:
    """Where a QEMU machine maps RAM usable as the board's flash and RAM regions."""

    flash_origin: int
    flash_max: int
    ram_origin: int
    ram_max: int
    qemu_args: tuple[str, ...] = ()


MACHINES: dict[str, MachineMemory] = {
    # mps2-an385/an386/an500: SSRAM1 4 MB at 0x0 (code), SSRAM2/3 4 MB at 0x20000000 (data)
    "mps2-an385": MachineMemory(0x0, 4096 * KB, 0x20000000, 4096 * KB),
    "mps2-an386": MachineMemory(0x0, 4096 * KB, 0x20000000, 4096 * KB),
    "mps2-an500": MachineMemory(0x0, 4096 * KB, 0x20000000, 4096 * KB),
    # mps2-an505 (SSE-200): SSRAM0 4 MB at 0x10000000 and SSRAM1 2 MB at 0x38000000, Secure
    "mps2-an505": MachineMemory(0x10000000, 4096 * KB, 0x38000000, 2048 * KB),
    # virt: DRAM at 0x80000000 (-m 64M); the first 16 MB play flash, the next 16 MB RAM
    "virt": MachineMemory(0x80000000, 16384 * KB, 0x81000000, 16384 * KB,
                          ("-bios", "none", "-m", "64M")),
}

_CPI = {
    "cortex-m0plus": (1.4, "assumption: Cortex-M0+ TRM (2-stage pipeline) timings: ALU 1 cycle,"
                           " loads/stores 2, taken branches 2, MULS 1 (fast multiplier);"
                           " compute-bound int8 kernels are load heavy, so about 1.4"),
    "cortex-m3": (1.3, "assumption: Cortex-M3 TRM instruction timings: ALU 1 cycle, LDR 2"
                       " (1 when pipelined), taken branches 2-4; zero-wait-state memory"),
    "cortex-m4": (1.2, "assumption: Cortex-M4 TRM (ARM DDI 0439) instruction timings: ALU and"
                       " MAC (SMLAD/MLA) 1 cycle, LDR 2 (1 when pipelined), taken branches"
                       " 2-4; typical range 1.0-1.3 with zero-wait-state or cached flash"),
    "cortex-m7": (0.8, "assumption: Cortex-M7 is dual-issue (6-stage superscalar); Arm quotes"
                       " 2.14 vs 1.25 DMIPS/MHz for the M4, so about 0.7-0.9 with TCM/cache"),
    "cortex-m33": (1.1, "assumption: Cortex-M33 (Armv8-M Mainline, 3-stage); Arm quotes 1.5"
                        " vs 1.25 DMIPS/MHz for the M4, so slightly under the M4's 1.2"),
    "rv32imc": (1.3, "assumption: in-order single-issue RV32IMC (ESP32-C3 class, 4-stage):"
                     " ALU 1 cycle, loads 2, taken branches 2-3, flash cache misses extra"),
    "xtensa-lx6": (1.2, "assumption: Xtensa LX6 (ESP32) in-order 7-stage, no emulator here:"
                        " instruction count taken from the RV32IMC build as a proxy"),
}

_FPV5 = {"sp": "fpv5-sp-d16", "dp": "fpv5-d16"}


def _arm_fpu_flags(core: str, fpu: str) -> tuple[str, ...]:
    if fpu == "none" or core in ("cortex-m0plus", "cortex-m3"):
        return ("-mfloat-abi=soft",)
    if core == "cortex-m4":
        return ("-mfpu=fpv4-sp-d16", "-mfloat-abi=hard")
    return (f"-mfpu={_FPV5.get(fpu, 'fpv5-sp-d16')}", "-mfloat-abi=hard")


_ARM_MACHINES = {"cortex-m0plus": "mps2-an385", "cortex-m3": "mps2-an385",
                 "cortex-m4": "mps2-an386", "cortex-m7": "mps2-an500",
                 "cortex-m33": "mps2-an505"}
_ALIASES = {"riscv32-rv32imc": "rv32imc", "rv32imc": "rv32imc", "esp32-c3": "rv32imc",
            "xtensa-lx6": "xtensa-lx6", "xtensa": "xtensa-lx6", "cortex-m0+": "cortex-m0plus"}


def core_names() -> list[str]:
    return list(_CPI)


def make_core_spec(core: str, fpu: str = "none", dsp_ext: bool = True) -> CoreSpec:
    """The CoreSpec of a core by name (GCC -mcpu spelling or an alias), FPU kind and DSP ext."""
    name = _ALIASES.get(core, core)
    if name not in _CPI:
        raise ConfigError(f"unknown core {core!r}; known cores: {', '.join(core_names())}")
    cpi, source = _CPI[name]
    if name in _ARM_MACHINES:
        mcpu = name
        if name == "cortex-m33" and not dsp_ext:
            mcpu = "cortex-m33+nodsp"
        flags = (f"-mcpu={mcpu}", "-mthumb", *_arm_fpu_flags(name, fpu))
        return CoreSpec(name, "arm", flags, _ARM_MACHINES[name], cpi, source)
    if name == "rv32imc":
        return CoreSpec(name, "riscv", ("-march=rv32imc", "-mabi=ilp32"), "virt", cpi, source)
    return CoreSpec(name, "xtensa", (), None, cpi, source)


def core_spec(board: Board) -> CoreSpec:
    """The core of a board profile (uses board.core, board.fpu and board.dsp_ext)."""
    return make_core_spec(board.core, board.fpu, board.dsp_ext)


def machine_memory(machine: str) -> MachineMemory:
    try:
        return MACHINES[machine]
    except KeyError:
        raise ConfigError(f"no memory map for QEMU machine {machine!r}; known: "
                          f"{', '.join(sorted(MACHINES))}") from None
