"""Every figure of a run, JSON-ready: what report.json holds and microforge.report renders.

Computed here (the int8 model's MACs, the C pipeline profiled on the boards), never in the
report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from microforge.classical.trained import reference_of
from microforge.codegen.macs import count_macs
from microforge.pipeline.c_library_stage import c_library_section
from microforge.pipeline.profile_stage import profile_section
from microforge.pipeline.summary import RunSummary
from microforge.workspace.data import ProjectData
from microforge.workspace.rundir import RunDir

QUANTIZATION_NOTES = {
    "ptq_int8": "post-training int8 quantization of the trained model",
    "qat": "quantization-aware fine-tuning ([optimize] finetune_epochs), then int8",
    "ptq_16x8": "post-training 16x8 quantization (int16 activations and I/O, int8 weights)",
}


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
                "best_epoch": result.best_epoch,
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
        "external_model": (
            {"tflite": str(config.external_model_path()),
             "note": "trained elsewhere; used with this project's DSP, evaluation and pipeline"
                     " (no training, no float model)"}
            if config.external_model_path() is not None else None),
        "accuracy": {},
        "folds": folds,
        "quantization": {"variant": final.quantization,
                         "note": QUANTIZATION_NOTES.get(final.quantization, "")},
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
    if config.is_classical:
        figures["classical"] = _classical_figures(config, summary)
    if config.model.is_detector:
        figures["detection"] = _detection_figures(config, summary)
    run = RunDir(folder)
    if run.int8_tflite.is_file():
        figures["model"]["macs"] = count_macs(run.int8_tflite.read_bytes())
    figures["warnings"] = project.evaluation_warnings()
    figures["per_fold_classes"] = [
        {"name": r.name, "test_groups": list(r.test_groups), "kind": kind,
         **getattr(r, f"{kind}_metrics").to_dict()}
        for r in summary.evaluated
        for kind in (("int8",) if r.int8_metrics is not None else ("float",))
    ]
    figures["profile"] = profile_section(project, folder)  # the C pipeline on the boards
    tflm_fit = None if config.is_classical else dict(final.board_fits).get(config.target.board)
    figures["c_library"] = c_library_section(project, folder, tflm_fit)  # on the target board
    return figures


def _classical_figures(config, summary: RunSummary) -> dict[str, Any]:
    """A classical project: the kind, the C library's -Os sizes, the anomaly metrics."""
    final = summary.final
    anomaly = config.anomaly
    return {
        "kind": final.model_kind,
        "reference": reference_of(final.model_kind or ""),
        "role": "detector" if anomaly is not None else "classifier",
        "params": (anomaly.model_dump() if anomaly is not None
                   else config.model.classical.model_dump()),
        "library_sizes": final.library_sizes,
        "anomaly": [{"name": r.name, **r.anomaly.to_dict()} for r in summary.results
                    if r.anomaly is not None],
        "note": f"trained with {reference_of(final.model_kind or '')} on the DSP features; "
                "the C library's decisions are checked equal to its by `microforge verify`",
    }


def _detection_figures(config, summary: RunSummary) -> dict[str, Any]:
    """A detection project: centroid precision/recall/F1 per fold, float and int8."""
    final = summary.final
    params = config.dsp.params
    return {
        "architecture": config.model.architecture,
        "coordinates": (
            f"the metrics compare centroids in the model's input pixels ("
            f"{params.get('width', 96)}x{params.get('height', 96)}); the C frame library "
            f"(mf_<name>_detect_frame) returns each centroid in the camera frame's pixels "
            f"(frame_x, frame_y: the image block's {params.get('fit', 'crop')} and resize "
            "undone) and in input pixels (x2 / 2, y2 / 2)"),
        "threshold": config.detection.threshold,
        "match_distance": config.detection.match_distance,
        "final": final.detection.to_dict() if final.detection is not None else None,
        "folds": [{"name": r.name, **r.detection.to_dict()} for r in summary.results
                  if r.detection is not None],
        "note": "a predicted centroid is a true positive when an unmatched true centroid of "
                "its class is within match_distance input pixels (closest pairs first); int8 "
                "decided as the C frame library does (int8 heatmap, int8 threshold)",
    }


def class_table(metrics) -> list[str]:
    """Per-class precision/recall/F1/support lines, then the confusion matrix (rows: true)."""
    names = list(metrics.class_names)
    width = max(len(n) for n in names + ["class"])
    lines = [f"{'class':<{width}}  precision  recall     F1  support"]
    for c in metrics.per_class:
        lines.append(f"{c.name:<{width}}  {100 * c.precision:8.1f}%  {100 * c.recall:5.1f}%  "
                     f"{100 * c.f1:5.1f}%  {c.support:7d}")
    cells = max(len(str(int(v))) for v in np.asarray(metrics.confusion).ravel())
    cells = max(cells, 3)
    lines.append("confusion (rows true, columns predicted, in class order):")
    for name, row in zip(names, np.asarray(metrics.confusion), strict=True):
        lines.append(f"{name:<{width}}  " + " ".join(f"{int(v):>{cells}d}" for v in row))
    return lines
