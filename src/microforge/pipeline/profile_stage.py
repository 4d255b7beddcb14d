"""The report's "profile" section: the run's C pipeline (DSP + model + post-processing) on the
project's target board and its `[target] compare` boards, measured on the emulated cores (one
real test window, once per distinct core), DSP and network apart. Without the Arm toolchain,
or when it cannot be measured, the section says why it is absent; it never fails a run.

Set MICROFORGE_REPORT_PROFILE=0 to leave it out (e.g. in tests that run many projects)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from microforge.workspace.data import ProjectData
from microforge.workspace.rundir import RunDir

DISABLE_ENV = "MICROFORGE_REPORT_PROFILE"


def profile_section(project: ProjectData, folder: Path) -> dict[str, Any]:
    """JSON-ready {"boards", "rows", "absent", "note"} for report.json / report.html."""
    config = project.config
    boards = list(dict.fromkeys([config.target.board, *config.target.compare]))
    detector = config.model.is_detector
    section: dict[str, Any] = {"boards": boards, "rows": [], "absent": None,
                               "note": FRAME_NOTE if detector else NOTE}
    section["absent"] = not_measured_because(folder)
    if section["absent"] is None:
        try:
            section["rows"] = _rows(project, Path(folder), boards)
        except Exception as exc:  # noqa: BLE001 - the report must not fail the run; say why
            section["absent"] = f"not measured: {first_line(exc)}"
    return section


def not_measured_because(folder: Path) -> str | None:
    """Why a run's C cannot be measured on the emulated boards here (None: it can): left out
    by DISABLE_ENV, no Arm toolchain, or no int8 model in the run folder."""
    from microforge.targets.toolchain import toolchain_available

    if os.environ.get(DISABLE_ENV, "1").strip().lower() in ("0", "false", "no", "off"):
        return f"left out ({DISABLE_ENV}=0)"
    if not toolchain_available("arm"):
        return ("the Arm toolchain is not installed (arm-none-eabi-gcc, newlib, "
                "qemu-system-arm: `make toolchain` or sudo apt-get install "
                "gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)")
    run = RunDir(Path(folder))
    if not run.int8_tflite.is_file() and not run.classical_model.is_file():
        return "this run wrote no model_int8.tflite (run every stage)"
    return None


def first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


NOTE = ("One real test window streamed through the generated C pipeline on each distinct "
        "emulated core (QEMU); network = feature quantization + the model. Flash/RAM per part: "
        "what the linker kept in the firmware for that core; firmware RAM includes the stack "
        "high-water mark. Latency = instructions x the core's cycles-per-instruction assumption "
        "at the board clock; * = estimated (no emulator for that core).")


FRAME_NOTE = ("One real test image, encoded as the camera's frame_format, through the generated "
              "frame library (image block, model, FOMO centroids) on each distinct emulated "
              "core (QEMU); DSP = the image block, network = the model and the post-processing;"
              " instructions per frame. Flash/RAM per part: what the linker kept in the "
              "firmware for that core; firmware RAM includes the frame buffer and the stack "
              "high-water mark. Latency = instructions x the core's cycles-per-instruction "
              "assumption at the board clock; * = estimated (no emulator for that core).")


def _rows(project: ProjectData, folder: Path, board_ids: list[str]) -> list[dict[str, Any]]:
    from microforge.measure.project_inputs import load_project_inputs
    from microforge.measure.project_profile import profile_project
    from microforge.targets.boards import load_board

    path = project.config.base_dir / "microforge.toml"
    if project.config.model.is_detector:
        from microforge.measure.frame_profile import profile_frame_project

        rows = profile_frame_project(path, [load_board(b) for b in board_ids], run_dir=folder,
                                     project=project)
        return [row.to_dict() for row in rows]
    inputs = load_project_inputs(path, 1, project=project, run_dir=folder)
    rows = profile_project(path, [load_board(b) for b in board_ids], inputs=inputs)
    return [row.to_dict() for row in rows]
