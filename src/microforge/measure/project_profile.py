"""profile_project: a trained project's C pipeline over board profiles, DSP and network apart.
One real window is streamed once per distinct emulated core (on the biggest board of that core;
cores without an emulator are estimated from an rv32imc build); flash/RAM per part come from the
linked firmware's map, the latency is instructions x the core's CPI at each board's clock."""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microforge.errors import BoardFitError, ToolchainError
from microforge.measure.emulated import (
    group_by_measured_core,
    measured_core,
    measuring_board,
    method_for,
    over_budget,
    run_fitting,
)
from microforge.measure.project_inputs import (
    PARTS,
    ProjectInputs,
    firmware_part_sizes,
    load_project_inputs,
)
from microforge.runners.sizes import PartSize
from microforge.targets.boards import Board, all_boards
from microforge.targets.cores import CoreSpec, core_spec


@dataclass
class ProjectProfileRow:
    board_id: str
    board_name: str
    core: str
    clock_mhz: float
    fits: bool
    fixed_point: bool  # the DSP variant built for this core
    dsp_instructions: int | None  # per window
    network_instructions: int | None  # feature quantization + the model, per window
    part_flash: dict[str, int]  # dsp / network / pipeline, linked into the firmware
    part_ram: dict[str, int]
    flash_bytes: int  # whole firmware: text + rodata + data
    ram_bytes: int  # whole firmware: data + bss + stack high-water
    board_flash_bytes: int
    board_ram_bytes: int
    cycles_per_instruction: float
    cpi_source: str
    method: str
    estimate: bool
    message: str = ""

    def latency_ms(self, part: str) -> float | None:
        """Estimated ms per window of "dsp", "network" or "total" at the board clock."""
        dsp, network = self.dsp_instructions, self.network_instructions
        if part == "total":
            count = None if dsp is None or network is None else dsp + network
        else:
            count = {"dsp": dsp, "network": network}[part]
        if count is None:
            return None
        return count * self.cycles_per_instruction / (self.clock_mhz * 1e3)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.update({f"{p}_latency_ms": self.latency_ms(p) for p in ("dsp", "network", "total")})
        return data


@dataclass
class Measurement:
    dsp: int | None
    network: int | None
    sizes: dict[str, PartSize]
    flash_bytes: int
    ram_bytes: int
    fixed_point: bool
    method: str
    measured: bool


def profile_project(config_path: str | Path, boards: list[Board] | None = None, *,
                    inputs: ProjectInputs | None = None, run_dir: Path | None = None,
                    work_dir: Path | None = None) -> list[ProjectProfileRow]:
    """One row per board (all profiles when `boards` is None). `inputs` (load_project_inputs)
    may be given to reuse an already loaded project; its first window is measured."""
    config_path = Path(config_path)
    if inputs is None:
        inputs = load_project_inputs(config_path, 1, run_dir=run_dir)
    window = inputs.recordings[0][: inputs.trained.window_len]
    boards = all_boards() if boards is None else boards
    groups = group_by_measured_core(boards)
    with tempfile.TemporaryDirectory(prefix="mf_profile_project_") as tmp:
        work = Path(work_dir) if work_dir is not None else Path(tmp)
        measured = {core: _measure(inputs, window, core, members, work / f"core{i}")
                    for i, (core, members) in enumerate(groups.items())}
    return [profile_row(board, core_spec(board), measured[measured_core(board)]) for board in boards]


def _measure(inputs: ProjectInputs, window, core: CoreSpec, members: list[Board], work: Path
             ) -> Measurement:
    from microforge.library.assemble import compile_trained
    from microforge.runners.mcu import EmulatorError
    from microforge.runners.pipeline_mcu import run_pipeline_on_mcu

    t = inputs.trained
    host = measuring_board(core, members)
    fixed_point = host.fpu == "none"
    empty = {part: PartSize(0, 0) for part in PARTS}
    try:
        library = compile_trained(t, work / "lib", fixed_point=fixed_point)
        run, folder, where = run_fitting(
            lambda board, out: run_pipeline_on_mcu(library, board, [window], work_dir=out),
            host, core, work / "mcu")
        sizes = firmware_part_sizes(folder, run.image, library)
    except BoardFitError as exc:
        reason = str(exc).split(": ", 1)[-1]
        return Measurement(None, None, empty, 0, 0, fixed_point,
                            f"not built for {core.name} ({reason})", False)
    except (ToolchainError, EmulatorError, RuntimeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Measurement(None, None, empty, 0, 0, fixed_point, f"not measured: {first}",
                            False)
    return Measurement(int(run.dsp_instructions[0]), int(run.network_instructions[0]), sizes,
                        run.image.flash_bytes, run.image.ram_bytes + run.stack_bytes,
                        fixed_point, where, True)


def profile_row(board: Board, core: CoreSpec, m: Measurement) -> ProjectProfileRow:
    proxy = core.machine is None
    method = method_for(core, m.method, m.measured)
    over = over_budget(board, m.flash_bytes, m.ram_bytes)
    fits = m.measured and not over
    message = ("; ".join(over) or "fits") if m.measured else m.method
    return ProjectProfileRow(
        board_id=board.id, board_name=board.name, core=board.core, clock_mhz=board.clock_mhz,
        fits=fits, fixed_point=m.fixed_point, dsp_instructions=m.dsp,
        network_instructions=m.network,
        part_flash={p: s.flash_bytes for p, s in m.sizes.items()},
        part_ram={p: s.ram_bytes for p, s in m.sizes.items()},
        flash_bytes=m.flash_bytes, ram_bytes=m.ram_bytes,
        board_flash_bytes=board.flash_bytes, board_ram_bytes=board.ram_bytes,
        cycles_per_instruction=core.cycles_per_instruction, cpi_source=core.cpi_source,
        method=method, estimate=proxy or board.estimate_only or not m.measured, message=message)
