"""A classical project's model on its own: the generated C (`<name>.c`) decides every test
window's features as scikit-learn does, on the host (gcc, ctypes) and on the board's emulated
core (classical/mcu.py); the instructions per decision come from that run."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from microforge.classical.trained import TrainedClassical
from microforge.targets.boards import Board


@dataclass
class ClassicalCheck:
    kind: str
    windows: int                 # test windows (their Python DSP features)
    source: str
    host_agreeing: int           # C on the host == scikit-learn
    mcu_agreeing: int | None     # C on the emulated core == scikit-learn (None: not run)
    board: str | None = None
    instructions_mean: float | None = None
    instructions_max: int | None = None
    mismatches: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (self.windows > 0 and self.host_agreeing == self.windows
                and self.mcu_agreeing in (None, self.windows))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "windows": self.windows, "source": self.source,
                "host_agreeing": self.host_agreeing, "mcu_agreeing": self.mcu_agreeing,
                "board": self.board, "instructions_mean": self.instructions_mean,
                "instructions_max": self.instructions_max, "passed": self.passed}


def held_out_features(project: Any, block: Any) -> tuple[np.ndarray, str]:
    """The final split's test windows (else validation, else all) through the fitted block,
    flattened to float32 rows; and which windows they are."""
    _, windows = project.load()
    fold = project.final_fold()
    for part in ("test", "val"):
        mask = fold.mask(part)
        if mask.any():
            source = f"{part} windows of the final split"
            break
    else:
        mask = np.ones(len(windows.y), bool)
        source = "all windows: TRAINING data (no held-out split)"
    x = np.asarray(block.transform(windows.x[mask]), np.float32)
    return np.ascontiguousarray(x.reshape(len(x), int(np.prod(x.shape[1:])))), source


def compile_host(model: TrainedClassical, out: Path, name: str) -> Any:
    """The model's C built on the host: CompiledEstimator or CompiledDetector."""
    if model.role == "detector":
        from microforge.classical.detector_host import compile_detector

        return compile_detector(model.estimator, out, name, threshold=model.threshold)
    from microforge.classical.host import compile_and_load_estimator

    return compile_and_load_estimator(model.estimator, out, name)


def check_classical(model: TrainedClassical, x: np.ndarray, source: str, name: str,
                    board: Board | str | None, work_dir: Path | None = None) -> ClassicalCheck:
    """C == scikit-learn on every row of x, on the host and (board given) on its emulated
    core."""
    expected = model.decide(x)
    with tempfile.TemporaryDirectory(prefix="mf_classical_check_") as tmp:
        work = Path(work_dir) if work_dir is not None else Path(tmp)
        compiled = compile_host(model, work / "host", name)
        if model.role == "detector":
            host = compiled.is_anomaly(x).astype(np.int64)
        else:
            host = compiled.predict_index(x)
        check = ClassicalCheck(model.kind, len(x), source, int((host == expected).sum()), None)
        check.mismatches += [f"window {i}: C (host) {host[i]}, scikit-learn {expected[i]}"
                             for i in np.flatnonzero(host != expected)[:10]]
        if board is not None:
            from microforge.classical.mcu import run_classical_on_mcu

            run = run_classical_on_mcu(compiled, board, x, work_dir=work / "mcu")
            check.board = board if isinstance(board, str) else board.id
            check.mcu_agreeing = int((run.decisions == expected).sum())
            check.mismatches += [f"window {i}: C ({check.board}) {run.decisions[i]}, "
                                 f"scikit-learn {expected[i]}"
                                 for i in np.flatnonzero(run.decisions != expected)[:10]]
            counts = np.asarray(run.instructions, np.float64)
            check.instructions_mean = float(counts.mean()) if counts.size else None
            check.instructions_max = int(counts.max()) if counts.size else None
    return check
