"""Every figure of a run, JSON-ready: what report.json holds and microforge.report renders.

Computed here (the int8 model's MACs, the C pipeline profiled on the boards), never in the
report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from microforge.codegen.macs import count_macs
from microforge.pipeline.profile_stage import profile_section
from microforge.pipeline.summary import RunSummary
from microforge.workspace.data import ProjectData
from microforge.workspace.rundir import RunDir


def run_figures(project: ProjectData, summary: RunSummary, folder: Path) -> dict[str, Any]:
    """Every figure of the run, JSON-ready (this is report.json)."""
    dataset, windows = project.load()
    config = project.config
    folds = []
    for result in summary.results:
        folds.append(
            {
                "name": result.name,
                "test_groups": list(result.test_groups),
                "test_windows": result.n_test,
                "float": result.float_metrics.to_dict() if result.float_metrics else None,
                "int8": result.int8_metrics.to_dict() if result.int8_metrics else None,
                "epochs_run": result.epochs_run,
                "train_seconds": round(result.train_seconds, 2),
            }
        )
    final = summary.final
    figures: dict[str, Any] = {
        "project": config.project.name,
        "dataset": {
            "path": str(config.dataset_path()),
            "format": config.dataset.format,
            "classes": list(dataset.classes),
            "recordings": len(dataset.recordings),
            "groups": len(set(np.asarray(windows.groups).tolist())),
            "windows": int(len(windows.y)),
            "windows_per_class": np.bincount(windows.y, minlength=len(dataset.classes)).tolist(),
            "sample_rate": float(dataset.sample_rate),
            "channels": list(dataset.channel_names),
            "window_samples": int(windows.x.shape[1]),
        },
        "dsp": config.dsp.model_dump(),
        "model": {**config.model.model_dump(), "parameters": final.params},
        "accuracy": {},
        "folds": folds,
        "model_bytes": {
            "float_tflite": final.float_tflite_bytes,
            "int8_tflite": final.int8_tflite_bytes,
        },
        "tflm_arena": (
            {"total": final.arena.total, "head": final.arena.head, "tail": final.arena.tail}
            if final.arena
            else None
        ),
        "boards": [
            {"board": board_id, "fits": fit.fits, "message": fit.message}
            for board_id, fit in final.board_fits
        ],
        "seconds": round(summary.seconds, 1),
    }
    for kind in ("float", "int8"):
        acc = summary.accuracy(kind)
        if acc is not None:
            figures["accuracy"][kind] = {"mean": acc[0], "std": acc[1]}
    run = RunDir(folder)
    if run.int8_tflite.is_file():
        figures["model"]["macs"] = count_macs(run.int8_tflite.read_bytes())
    figures["profile"] = profile_section(project, folder)  # the C pipeline on the boards
    return figures
