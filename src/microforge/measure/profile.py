"""profile_model: a .tflite over board profiles. Instructions per inference are measured once per
distinct emulated core (on the biggest board of that core), flash/RAM come from the linked
firmware, and the latency is the cycles estimated from the measured instruction mix
(targets/cycle_model.py) at each board's clock; cores without a cycle table (the proxy-measured
Xtensa) use instructions x the core's CPI assumption."""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from microforge.errors import BoardFitError, ModelError, ToolchainError
from microforge.ir.tensor import DTYPE_NUMPY
from microforge.measure.emulated import (
    group_by_measured_core,
    latency_ms,
    measured_core,
    measuring_board,
    method_for,
    over_budget,
    run_fitting,
)
from microforge.runners.host import CompiledModel
from microforge.targets.boards import Board, all_boards
from microforge.targets.cores import CoreSpec, core_spec
from microforge.targets.cycle_model import CYCLE_TABLES, InstructionMix


@dataclass
class ProfileRow:
    board_id: str
    board_name: str
    core: str
    clock_mhz: float
    fits: bool
    flash_bytes: int  # text + rodata + data of the firmware (or the constants when not built)
    ram_bytes: int  # data + bss (arena included) + stack high-water (or arena + I/O)
    board_flash_bytes: int
    board_ram_bytes: int
    macs: int
    instructions: int | None  # per inference
    method: str  # how the instructions were obtained
    latency_ms: float | None
    cycles_per_instruction: float
    cpi_source: str
    estimate: bool  # figures estimated, not measured on this board's core
    message: str = ""

    @property
    def instructions_per_mac(self) -> float | None:
        return self.instructions / self.macs if self.instructions and self.macs else None

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["instructions_per_mac"] = self.instructions_per_mac
        return data


@dataclass
class _Measurement:
    instructions: int | None
    flash_bytes: int
    ram_bytes: int
    method: str
    measured: bool
    mix: InstructionMix | None = None


def profile_model(model_path: str | Path, boards: list[Board] | None = None, *,
                  seed: int = 0, work_dir: Path | None = None) -> list[ProfileRow]:
    """One row per board (all profiles when `boards` is None)."""
    from microforge.runners.host import compile_and_load

    model_path = Path(model_path)
    if not model_path.is_file():
        raise ModelError(f"{model_path}: no such model file; pass a .tflite")
    boards = all_boards() if boards is None else boards
    with tempfile.TemporaryDirectory(prefix="mf_profile_") as tmp:
        work = Path(work_dir) if work_dir is not None else Path(tmp)
        compiled = compile_and_load(model_path, work / "lib", "model")
        # each core runs the model compiled for it (its kernel variants, codegen/variants.py)
        measured = {core: _measure(compile_and_load(model_path, work / f"lib{i}", "model",
                                                    target=measuring_board(core, members)),
                                   core, members, seed, work / f"core{i}")
                    for i, (core, members) in enumerate(group_by_measured_core(boards).items())}
    return [_row(board, core_spec(board), measured[measured_core(board)],
                 int(compiled.info.macs)) for board in boards]


def _measure(compiled: CompiledModel, core: CoreSpec, members: list[Board], seed: int,
             work: Path) -> _Measurement:
    from microforge.measure.verify import random_inputs
    from microforge.runners.mcu import EmulatorError, run_model_on_mcu

    host = measuring_board(core, members)
    inputs = random_inputs(compiled.info, 1, seed)
    info = compiled.info
    lower_ram = int(info.arena_size) + sum(
        d.size * np.dtype(DTYPE_NUMPY[d.dtype]).itemsize for d in info.inputs + info.outputs)
    try:
        result, _, where = run_fitting(
            lambda board, folder: run_model_on_mcu(compiled, board, inputs, work_dir=folder),
            host, core, work)
    except BoardFitError as exc:
        reason = str(exc).split(": ", 1)[-1]
        return _Measurement(None, int(info.weight_bytes), lower_ram,
                            f"not built for {core.name} ({reason}); flash = constants, "
                            "RAM = arena + I/O (lower bounds)", False)
    except (ToolchainError, EmulatorError) as exc:
        return _Measurement(None, int(info.weight_bytes), lower_ram,
                            f"not measured: {exc}", False)
    return _Measurement(int(result.instructions[0]), result.flash_bytes,
                        result.ram_bytes + result.stack_bytes, where, True, result.mixes[0])


def _row(board: Board, core: CoreSpec, m: _Measurement, macs: int) -> ProfileRow:
    proxy = core.machine is None
    method = method_for(core, m.method, m.measured)
    fits = m.flash_bytes <= board.flash_bytes and m.ram_bytes <= board.ram_bytes
    latency = None if m.instructions is None else latency_ms(m.instructions, core, board)
    cpi, cpi_source = core.cycles_per_instruction, core.cpi_source
    if m.mix is not None and not proxy and core.name in CYCLE_TABLES and m.mix.total:
        table = CYCLE_TABLES[core.name]
        cycles = table.estimate(m.mix)
        cpi = cycles / m.mix.total
        cpi_source = f"estimated from the measured instruction mix: {table.source}"
        latency = cycles / (board.clock_mhz * 1e3)
    over = over_budget(board, m.flash_bytes, m.ram_bytes)
    return ProfileRow(
        board_id=board.id, board_name=board.name, core=board.core, clock_mhz=board.clock_mhz,
        fits=fits, flash_bytes=m.flash_bytes, ram_bytes=m.ram_bytes,
        board_flash_bytes=board.flash_bytes, board_ram_bytes=board.ram_bytes, macs=macs,
        instructions=m.instructions, method=method, latency_ms=latency,
        cycles_per_instruction=cpi, cpi_source=cpi_source,
        estimate=proxy or board.estimate_only or not m.measured,
        message="; ".join(over) if over else "fits",
    )
