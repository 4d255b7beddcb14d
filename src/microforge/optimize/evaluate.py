"""The cost of one variant's .tflite: flash, RAM, MACs, instructions per inference.

Flash and RAM come from the microforge compiler when it supports the model (the generated C
library built for a Cortex-M4 with -Os, and its planned arena + I/O buffers); otherwise from
the TFLM path (.tflite + the TFLM runtime estimate of targets/boards.py, the measured TFLM
arena). `deploy` says which, and the fit check uses the matching reserves.
Instructions per inference are counted on the emulated Cortex-M4 when the MCU runner
(microforge.runners.mcu) and arm-none-eabi-gcc are installed; else they stay None.
"""

from __future__ import annotations

import importlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from microforge.errors import MicroforgeError
from microforge.targets.boards import (
    TFLM_RAM_ALLOWANCE_BYTES,
    TFLM_RUNTIME_FLASH_BYTES,
    Board,
    Fit,
    fit_check,
)

if TYPE_CHECKING:
    from microforge.runners.host import CompiledModel

# microforge C library on a board: main stack, and startup code/vector table/libc pieces
MF_RAM_RESERVE_BYTES = 4 * 1024
MF_FLASH_RESERVE_BYTES = 4 * 1024
MCU_BOARD = "nucleo_l4r5zi"  # the Cortex-M4 board whose emulator counts instructions


@dataclass
class VariantCost:
    tflite_bytes: int
    macs: int | None
    deploy: str  # "microforge" (our C library) | "tflm" (interpreter + .tflite)
    flash_bytes: int | None
    flash_source: str
    ram_bytes: int | None
    ram_source: str
    instructions: int | None = None
    instructions_source: str = "not measured"

    def fit(self, board: Board) -> Fit | None:
        """The board fit with the reserves of the deployment path; None when unmeasured."""
        if self.flash_bytes is None or self.ram_bytes is None:
            return None
        if self.deploy == "microforge":
            return fit_check(board, self.flash_bytes, self.ram_bytes,
                             MF_RAM_RESERVE_BYTES, MF_FLASH_RESERVE_BYTES)
        return fit_check(board, self.flash_bytes, self.ram_bytes,
                         TFLM_RAM_ALLOWANCE_BYTES, TFLM_RUNTIME_FLASH_BYTES)


def measure_cost(tflite: bytes, sample: np.ndarray | None = None,
                 instructions: bool = True) -> VariantCost:
    """Costs of a .tflite; `sample` (one float input) is what the MCU run infers on."""
    from microforge.runners.host import compile_and_load

    try:
        compiled = compile_and_load(tflite)
    except MicroforgeError:
        return _tflm_cost(tflite)
    info = compiled.info
    arm = shutil.which("arm-none-eabi-gcc") is not None
    io_bytes = sum(d.size * np.dtype(d.dtype).itemsize for d in [*info.inputs, *info.outputs])
    cost = VariantCost(
        tflite_bytes=len(tflite),
        macs=int(info.macs),
        deploy="microforge",
        flash_bytes=int(compiled.flash_estimate(cortex_m=True)),
        flash_source=("microforge C, arm-none-eabi-gcc -Os Cortex-M4" if arm
                      else "microforge C, host gcc -Os (no arm-none-eabi-gcc)"),
        ram_bytes=int(info.arena_size) + io_bytes,
        ram_source="microforge arena + I/O buffers",
    )
    if instructions and sample is not None:
        cost.instructions, cost.instructions_source = _count_instructions(compiled, sample)
    return cost


def _tflm_cost(tflite: bytes) -> VariantCost:
    from microforge.codegen.macs import count_macs
    from microforge.runners.tflm import tflm_arena_size

    try:
        arena, ram_source = tflm_arena_size(tflite).total, "TFLM arena (measured)"
    except Exception as exc:  # TFLM cannot allocate it (e.g. hybrid ops): no RAM figure
        arena, ram_source = None, f"TFLM cannot run it ({type(exc).__name__})"
    return VariantCost(
        tflite_bytes=len(tflite), macs=count_macs(tflite), deploy="tflm",
        flash_bytes=len(tflite), flash_source=".tflite + TFLM runtime estimate",
        ram_bytes=arena, ram_source=ram_source,
        instructions_source="not measured (microforge compiler does not support the model)",
    )


def mcu_available() -> bool:
    """The MCU runner module is there and the Arm toolchain is installed."""
    try:
        toolchain = importlib.import_module("microforge.targets.toolchain")
        importlib.import_module("microforge.runners.mcu")
    except ModuleNotFoundError:
        return False
    return bool(toolchain.toolchain_available("arm"))


def _count_instructions(compiled: CompiledModel, sample: np.ndarray) -> tuple[int | None, str]:
    if not mcu_available():
        return None, "not measured (MCU runner or arm toolchain not installed)"
    import tempfile

    from microforge.runners.mcu import run_model_on_mcu

    x = _to_model_input(np.asarray(sample, np.float32), compiled.info.inputs[0])
    try:
        with tempfile.TemporaryDirectory(prefix="mf_opt_mcu_") as work:
            run = run_model_on_mcu(compiled, MCU_BOARD, [[x]], work_dir=Path(work))
    except Exception as exc:  # an optional figure: a failed run is reported, not fatal
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:100]
        return None, f"not measured ({type(exc).__name__}: {first})"
    return int(run.instructions[0]), f"emulated Cortex-M4 ({MCU_BOARD}, QEMU)"


def _to_model_input(x: np.ndarray, detail) -> np.ndarray:
    """A float sample in the model's input type (quantized with its scale/zero point)."""
    dtype, shape = np.dtype(detail.dtype), tuple(detail.shape)
    if dtype == np.float32:
        return x.reshape(shape)
    scale, zero = float(detail.scale or 1.0), int(detail.zero_point or 0)
    info = np.iinfo(dtype)
    return np.clip(np.round(x / scale) + zero, info.min, info.max).astype(dtype).reshape(shape)
