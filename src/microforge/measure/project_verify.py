"""Verify a trained project on an emulated MCU: compile DSP + model + post-processing into one C
library, stream the project's test recordings through it in QEMU for the board's core, compare
every decision with the Python pipeline (fitted block + TFLM + microforge.postprocess), and
measure the DSP and the network separately (instructions per window, flash, RAM)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from microforge.errors import BoardFitError, ConfigError
from microforge.measure.classical_check import ClassicalCheck
from microforge.measure.emulated import emulated_board, latency_ms
from microforge.measure.project_inputs import (
    firmware_part_sizes,
    load_project_inputs,
)
from microforge.runners.sizes import PartSize
from microforge.targets.boards import Board
from microforge.targets.cores import CoreSpec

MIN_AGREEMENT = 0.995  # issue 5's bar for C == Python decisions on real test windows
SCORE_RTOL = 1e-6


@dataclass
class PartFigures:
    """One part of the pipeline on the board: mean instructions per window, linked sizes."""

    instructions: float | None
    flash_bytes: int
    ram_bytes: int


@dataclass
class ProjectVerifyReport:
    project: str
    config_path: Path
    board: Board
    core: CoreSpec
    fixed_point: bool  # the DSP variant the board gets (no FPU: fixed point)
    source: str  # which recordings were streamed
    n_recordings: int
    n_windows: int
    agreeing: int  # windows whose C decision equals the Python one
    mismatches: list[str] = field(default_factory=list)
    parts: dict[str, PartFigures] = field(default_factory=dict)  # dsp, network, pipeline
    flash_bytes: int = 0  # whole firmware (harness included)
    ram_bytes: int = 0
    library_flash_bytes: int = 0
    library_ram_bytes: int = 0
    stack_bytes: int = 0
    held_out: bool = True  # False: the streamed recordings are training data
    labels: list[str] = field(default_factory=list)  # class names
    window_true: list[int] = field(default_factory=list)  # per window: the recording's class
    window_c: list[int] = field(default_factory=list)  # per window: the C decision's label
    window_python: list[int] = field(default_factory=list)
    # a classical model: its C == scikit-learn on every held-out window (host, emulated core)
    classical: ClassicalCheck | None = None

    def label_accuracy(self) -> list[tuple[str, int, float, float]]:
        """(class, windows, C accuracy, Python accuracy) per class, then ("all", ...)."""
        true = np.asarray(self.window_true)
        c, py = np.asarray(self.window_c), np.asarray(self.window_python)
        rows = []
        for index, name in [*enumerate(self.labels), (None, "all")]:
            mask = np.ones(len(true), bool) if index is None else true == index
            n = int(mask.sum())
            if n == 0:
                continue
            rows.append((name, n, float((c[mask] == true[mask]).mean()),
                         float((py[mask] == true[mask]).mean())))
        return rows

    @property
    def agreement(self) -> float:
        return self.agreeing / self.n_windows if self.n_windows else 0.0

    @property
    def passed(self) -> bool:
        model_ok = self.classical is None or self.classical.passed
        return self.n_windows > 0 and self.agreement >= MIN_AGREEMENT and model_ok

    def latency_ms(self, part: str) -> float | None:
        """Mean instructions of a part x the core's CPI assumption at the board clock."""
        instructions = self.parts[part].instructions
        if instructions is None:
            return None
        return latency_ms(instructions, self.core, self.board)


def verify_project_on_mcu(config_path: str | Path, board: Board | str, *,
                          max_windows: int | None = None,
                          work_dir: Path | None = None, run_dir: Path | None = None,
                          project=None) -> ProjectVerifyReport:
    """Stream the project's test recordings (at most max_windows windows) through the C pipeline
    on the board's emulated core and through the Python pipeline; compare and measure.
    `run_dir` (default: the config's output folder) and `project` (an already loaded
    ProjectData) as for load_project_inputs."""
    from microforge.library.assemble import compile_trained
    from microforge.runners.mcu import EmulatorError
    from microforge.runners.pipeline_mcu import run_pipeline_on_mcu

    board, core = emulated_board(board)
    if max_windows is not None and max_windows < 1:
        raise ConfigError(f"--inputs must be at least 1, got {max_windows}")
    config_path = Path(config_path)
    inputs = load_project_inputs(config_path, max_windows, project=project,
                                 run_dir=run_dir)
    t = inputs.trained
    fixed_point = board.fpu == "none"
    python = t.reference_pipeline()
    expected = [python.run(signal) for signal in inputs.recordings]
    with tempfile.TemporaryDirectory(prefix="mf_verify_project_") as tmp:
        work = Path(work_dir) if work_dir is not None else Path(tmp)
        library = compile_trained(t, work / "lib", fixed_point=fixed_point,
                                  source=f"the project run in {t.run_dir.name}")
        try:
            run = run_pipeline_on_mcu(library, board, inputs.recordings, work_dir=work / "mcu")
        except BoardFitError as exc:
            raise BoardFitError(str(exc).replace(f"{t.name}_pipeline:",
                                                 f"{config_path.name} pipeline:", 1)) from None
        except EmulatorError as exc:
            raise EmulatorError(f"{exc}; or stream fewer windows with --inputs N") from None
        sizes = firmware_part_sizes(work / "mcu", run.image, library)
        classical = None
        if t.classical is not None:
            from microforge.measure.classical_check import check_classical, held_out_features

            x, where = held_out_features(inputs.project, t.block)
            classical = check_classical(t.classical, x, where, t.name, board,
                                        work_dir=work / "classical")
    agreeing, mismatches = compare_decisions(run.decisions, expected, t.labels)
    dsp = np.asarray(run.dsp_instructions, np.float64)
    net = np.asarray(run.network_instructions, np.float64)
    parts = {
        "dsp": _figures(dsp, sizes["dsp"]),
        "network": _figures(net, sizes["network"]),
        "pipeline": _figures(None, sizes["pipeline"]),
    }
    image = run.image
    return ProjectVerifyReport(
        project=t.name, config_path=config_path, board=board, core=core,
        fixed_point=fixed_point, source=inputs.source, n_recordings=len(inputs.recordings),
        n_windows=sum(len(d) for d in expected), agreeing=agreeing, mismatches=mismatches,
        parts=parts, flash_bytes=image.flash_bytes, ram_bytes=image.ram_bytes,
        library_flash_bytes=image.library_flash_bytes,
        library_ram_bytes=image.library_ram_bytes, stack_bytes=run.stack_bytes,
        held_out=inputs.held_out, labels=list(t.labels),
        window_true=[y for y, run_ in zip(inputs.labels, expected, strict=True) for _ in run_],
        window_c=[d.label for decisions in run.decisions for d in decisions],
        window_python=[d.label for decisions in expected for d in decisions],
        classical=classical)


def _figures(counts: np.ndarray | None, size: PartSize) -> PartFigures:
    mean = float(counts.mean()) if counts is not None and counts.size else None
    return PartFigures(mean, size.flash_bytes, size.ram_bytes)


def compare_decisions(ours, expected, labels: list[str]) -> tuple[int, list[str]]:
    """(windows whose decision matches, one line per differing window). A decision matches
    when window, end sample, label and detection are equal and the scores agree."""
    agreeing, lines = 0, []
    for r, (c_run, py_run) in enumerate(zip(ours, expected, strict=True)):
        if len(c_run) != len(py_run):
            lines.append(f"recording {r}: {len(c_run)} decisions in C, {len(py_run)} in Python")
        for c, p in zip(c_run, py_run, strict=False):
            same = ((c.window, c.end_sample, c.label, c.detected)
                    == (p.window, p.end_sample, p.label, p.detected)
                    and np.isclose(c.score, p.score, rtol=SCORE_RTOL, atol=0))
            if same:
                agreeing += 1
                continue
            lines.append(f"recording {r}, window {p.window}: C {_describe(c, labels)}, "
                         f"Python {_describe(p, labels)}")
    return agreeing, lines


def _describe(decision, labels: list[str]) -> str:
    name = labels[decision.label] if 0 <= decision.label < len(labels) else decision.label
    flag = "" if decision.detected else " (not detected)"
    return f"{name} {decision.score:.4f}{flag}"
