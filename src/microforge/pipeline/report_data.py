"""A run's figures -> report.json and report.html in the output folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def run_figures(project, summary) -> dict:
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
    figures = {
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
    return figures


def write_run_report(project, summary, folder: Path) -> list[str]:
    """Write report.json and report.html; returns their names."""
    from microforge.report import write_report

    figures = run_figures(project, summary)
    int8_path = folder / "model_int8.tflite"
    if int8_path.is_file():
        from microforge.report import count_macs

        figures["model"]["macs"] = count_macs(int8_path.read_bytes())
    from microforge.report.profile_section import profile_section

    figures["profile"] = profile_section(project, folder)  # the C pipeline on the boards
    return [Path(p).name for p in write_report(folder, figures, summary)]
