"""profile of a detector (or any image) project's frame library over board profiles: one real
test image, encoded as the camera's `frame_format` delivers it, through the frame library
(camera frame -> image block -> int8 model -> centroids) once per distinct emulated core (on
the biggest board of that core; cores without an emulator are estimated from an rv32imc
build); flash/RAM per part from the linked firmware's map, the latency = instructions x the
core's CPI at each board's clock. The rows are project_profile's (dsp = the image block,
network = the model and its arena, pipeline = the frame glue, the input table and the FOMO
post-processing), instructions per frame."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console

from microforge.errors import BoardFitError, ConfigError, ToolchainError
from microforge.measure.emulated import (
    group_by_measured_core,
    measured_core,
    measuring_board,
    run_fitting,
)
from microforge.measure.frame_verify import project_frames
from microforge.measure.project_inputs import PARTS, firmware_part_sizes
from microforge.measure.project_profile import Measurement, ProjectProfileRow, profile_row
from microforge.runners.sizes import PartSize
from microforge.targets.boards import Board, all_boards
from microforge.targets.cores import CoreSpec, core_spec
from microforge.workspace.data import ProjectData
from microforge.workspace.trained import TrainedPipeline, load_trained_project


def profile_frame_project(config_path: str | Path, boards: list[Board] | None = None, *,
                          run_dir: Path | None = None, project: ProjectData | None = None,
                          work_dir: Path | None = None) -> list[ProjectProfileRow]:
    """One row per board (all profiles when `boards` is None), measured on the first test
    image as a camera frame."""
    config_path = Path(config_path)
    if project is None:
        project = ProjectData.from_toml(config_path, Console(stderr=True, quiet=True))
    trained = load_trained_project(config_path, run_dir, project.config)
    if trained.block.windowed:
        raise ConfigError(f"{config_path}: the frame library is for [dsp] block = \"image\"")
    frames, _, _, _ = project_frames(project, trained.block, 1)
    boards = all_boards() if boards is None else boards
    with tempfile.TemporaryDirectory(prefix="mf_profile_frames_") as tmp:
        work = Path(work_dir) if work_dir is not None else Path(tmp)
        measured = {core: _measure(trained, frames[0], core, members, work / f"core{i}")
                    for i, (core, members) in enumerate(group_by_measured_core(boards).items())}
    return [profile_row(board, core_spec(board), measured[measured_core(board)])
            for board in boards]


def _measure(trained: TrainedPipeline, frame: bytes, core: CoreSpec, members: list[Board],
             work: Path) -> Measurement:
    from microforge.library.frame_assemble import compile_trained_frames
    from microforge.runners.frame_mcu import run_frames_on_mcu
    from microforge.runners.mcu import EmulatorError

    host = measuring_board(core, members)
    empty = {part: PartSize(0, 0) for part in PARTS}
    try:
        library = compile_trained_frames(trained, work / "lib")
        run, folder, where = run_fitting(
            lambda board, out: run_frames_on_mcu(library, board, [frame], work_dir=out),
            host, core, work / "mcu")
        sizes = firmware_part_sizes(folder, run.image, library)
    except BoardFitError as exc:
        reason = str(exc).split(": ", 1)[-1]
        return Measurement(None, None, empty, 0, 0, False,
                           f"not built for {core.name} ({reason})", False)
    except (ToolchainError, EmulatorError, RuntimeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Measurement(None, None, empty, 0, 0, False, f"not measured: {first}", False)
    return Measurement(int(run.dsp_instructions[0]), int(run.network_instructions[0]), sizes,
                       run.image.flash_bytes, run.image.ram_bytes + run.stack_bytes, False,
                       where, True)
