"""The report's "c_library" section: the microforge C library of the run (the whole pipeline:
DSP, int8 model, post-processing) on the project's target board, measured on its emulated core:
firmware and library flash/RAM, instructions per inference (DSP + network), C == Python on real
test windows, the compiled model bit-exact with TFLM; and the board fit from those measured
sizes, beside TFLM's estimate (the interpreter's runtime allowance + its arena).

Like the profile section it never fails a run: when it cannot be measured it says why.
MICROFORGE_REPORT_PROFILE=0 leaves it out too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from microforge.pipeline.profile_stage import first_line, not_measured_because

C_WINDOWS = 40  # test windows streamed through the C pipeline on the emulated core
TFLM_INPUTS = 10  # random input sets for the model's bit-exactness against TFLM


def c_library_section(project, folder: Path, tflm_fit: Any = None) -> dict[str, Any]:
    """JSON-ready figures; `tflm_fit` is the export stage's Fit of the target board (TFLM)."""
    from microforge.targets.boards import load_board

    board = load_board(project.config.target.board)
    section: dict[str, Any] = {"board": board.id, "board_name": board.name, "core": board.core,
                               "absent": None, "tflm_estimate": _tflm(tflm_fit)}
    section["absent"] = not_measured_because(folder)
    if section["absent"] is not None:
        return section
    try:
        section.update(_measure(project, Path(folder), board))
    except Exception as exc:  # noqa: BLE001 - the report must not fail the run; say why
        section["absent"] = f"not measured: {first_line(exc)}"
    return section


def _tflm(fit: Any) -> dict[str, Any] | None:
    if fit is None:
        return None
    return {"fits": bool(fit.fits), "message": fit.message, "flash_bytes": int(fit.flash_bytes),
            "ram_bytes": int(fit.ram_bytes),
            "note": "estimate: the int8 .tflite + TFLM's runtime code allowance in flash, "
                    "the measured TFLM arena + a stack/runtime allowance in RAM"}


def _measure(project, folder: Path, board) -> dict[str, Any]:
    from microforge.measure.project_verify import verify_project_on_mcu
    from microforge.measure.verify import verify_on_mcu
    from microforge.workspace.rundir import RunDir

    path = project.config.base_dir / "microforge.toml"
    if project.config.model.is_detector:
        return _measure_frames(project, path, folder, board)
    report = verify_project_on_mcu(path, board, max_windows=C_WINDOWS, run_dir=folder,
                                   project=project)
    classical = report.classical
    model = (None if classical is not None
             else verify_on_mcu(RunDir(folder).int8_tflite, board, n_inputs=TFLM_INPUTS))
    dsp, net = (report.parts[p].instructions for p in ("dsp", "network"))
    total = (dsp or 0) + (net or 0)
    cpi = report.core.cycles_per_instruction
    flash_over = report.flash_bytes > board.flash_bytes
    ram = report.ram_bytes + report.stack_bytes
    ram_over = ram > board.ram_bytes
    return {
        "fixed_point": report.fixed_point,
        "machine": report.core.machine,
        "library_flash_bytes": report.library_flash_bytes,
        "library_ram_bytes": report.library_ram_bytes,
        "firmware_flash_bytes": report.flash_bytes,
        "firmware_ram_bytes": ram,
        "board_flash_bytes": board.flash_bytes,
        "board_ram_bytes": board.ram_bytes,
        "fits": not (flash_over or ram_over),
        "dsp_instructions": dsp,
        "network_instructions": net,
        "instructions": total,
        "latency_ms": total * cpi / (board.clock_mhz * 1e3),
        "cpi_source": report.core.cpi_source,
        "c_python": {"windows": report.n_windows, "agreeing": report.agreeing,
                     "source": report.source},
        "tflm_bitexact": None if model is None else {
            "inputs": model.n_inputs, "passed": bool(model.passed),
            "max_abs_diff": float(model.max_abs_diff), "reference": model.reference},
        "sklearn_exact": None if classical is None else classical.to_dict(),
    }


def _measure_frames(project, path: Path, folder: Path, board) -> dict[str, Any]:
    """A detector: its frame library (frame -> centroids) on the board, C == the Python twin
    on the host and the emulated core, for up to C_WINDOWS test images."""
    from microforge.measure.frame_verify import verify_frames_on_mcu

    report = verify_frames_on_mcu(path, board, max_images=C_WINDOWS, run_dir=folder,
                                  project=project)
    ram = report.ram_bytes + report.stack_bytes
    total = report.dsp_instructions + report.network_instructions
    return {
        "fixed_point": False,
        "machine": report.core.machine,
        "library_flash_bytes": report.library_flash_bytes,
        "library_ram_bytes": report.library_ram_bytes,
        "firmware_flash_bytes": report.flash_bytes,
        "firmware_ram_bytes": ram,
        "board_flash_bytes": board.flash_bytes,
        "board_ram_bytes": board.ram_bytes,
        "fits": report.flash_bytes <= board.flash_bytes and ram <= board.ram_bytes,
        "dsp_instructions": report.dsp_instructions,
        "network_instructions": report.network_instructions,
        "instructions": total,
        "latency_ms": report.latency_ms(),
        "cpi_source": report.core.cpi_source,
        "c_python": {"windows": report.n_images, "agreeing": report.mcu_agreeing,
                     "host_agreeing": report.host_agreeing,
                     "source": f"{report.source}, as {report.frame_format} camera frames "
                               "through the frame library (centroids)"},
        "c_detection": report.c_metrics.to_dict() if report.c_metrics is not None else None,
        "tflm_bitexact": None,
        "sklearn_exact": None,
    }
