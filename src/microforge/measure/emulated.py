"""What verify and profile share, for a bare model and for a project's pipeline alike: which
emulated core measures a board, on which board build, with what fallback when the build does
not fit, and how a measurement becomes a board's fit line and method."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from microforge.errors import BoardFitError, ConfigError
from microforge.targets.boards import Board, load_board
from microforge.targets.cores import CoreSpec, core_spec, machine_memory, make_core_spec

PROXY_CORE = "rv32imc"  # cores without an emulator are estimated from this build
R = TypeVar("R")


def emulated_board(board: Board | str) -> tuple[Board, CoreSpec]:
    """The board and its core, for a command that runs on the emulator (verify)."""
    board = load_board(board) if isinstance(board, str) else board
    core = core_spec(board)
    if core.machine is None or board.estimate_only:
        raise ConfigError(f"board {board.id} ({board.core}) has no emulator here: its figures "
                          "are estimates; use `microforge profile --board` instead")
    return board, core


def measured_core(board: Board) -> CoreSpec:
    """The core that measures `board`: its own, or the proxy when it has no emulator."""
    core = core_spec(board)
    return core if core.machine is not None else make_core_spec(PROXY_CORE)


def group_by_measured_core(boards: list[Board]) -> dict[CoreSpec, list[Board]]:
    """Boards grouped so that each distinct emulated core is measured once."""
    groups: dict[CoreSpec, list[Board]] = {}
    for board in boards:
        groups.setdefault(measured_core(board), []).append(board)
    return groups


def measuring_board(core: CoreSpec, members: list[Board]) -> Board:
    """The biggest board of the group (an estimate-only core: the proxy with its memory)."""
    host = max(members, key=lambda b: (b.ram_kb, b.flash_kb))
    if core_spec(host) != core:
        host = dataclasses.replace(host, core=core.name, fpu="none", dsp_ext=False,
                                   emulator=core.machine, estimate_only=False)
    return host


def run_fitting(run: Callable[[Board, Path], R], host: Board, core: CoreSpec,
                work: Path) -> tuple[R, Path, str]:
    """run(host, folder), or, when the build is too big for every board of this core, on the
    machine's whole memory: (result, folder used, where it was measured)."""
    where = f"measured on QEMU {core.machine} ({core.name})"
    try:
        return run(host, work), work, where
    except BoardFitError:
        memory = machine_memory(core.machine or "")
        whole = dataclasses.replace(host, flash_kb=memory.flash_max // 1024,
                                    ram_kb=memory.ram_max // 1024)
        folder = work.parent / f"{work.name}_unbounded"
        return (run(whole, folder), folder,
                where + " with the machine's whole memory (too big for these boards)")


def over_budget(board: Board, flash_bytes: int, ram_bytes: int) -> list[str]:
    """One line per resource the board does not have enough of."""
    return [f"needs {need / 1024:.1f} KB {what}, board has {have} KB"
            for what, need, have in (("flash", flash_bytes, board.flash_kb),
                                     ("RAM", ram_bytes, board.ram_kb))
            if need > have * 1024]


def method_for(core: CoreSpec, method: str, measured: bool) -> str:
    """How a board's figures were obtained (a proxy build says so)."""
    if core.machine is None and measured:
        return (f"estimated: {PROXY_CORE} build on QEMU virt as a proxy for {core.name} "
                "(no emulator here)")
    return method


def latency_ms(instructions: float, core: CoreSpec, board: Board) -> float:
    """Instructions x the core's cycles-per-instruction assumption at the board clock."""
    return instructions * core.cycles_per_instruction / (board.clock_mhz * 1e3)
