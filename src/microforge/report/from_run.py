"""ReportData from the pipeline's run figures (microforge.pipeline.results.run_figures)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microforge.pipeline.summary import RunSummary
from microforge.report.data import BoardFitRow, FoldFigures, ReportData
from microforge.runners.tflm import ArenaSize
from microforge.targets.boards import fit_check, load_board
from microforge.train.metrics import Metrics, combine, metrics_from_confusion


def report_data_from_run(figures: Mapping[str, Any], summary: RunSummary | None = None
                         ) -> ReportData:
    """Map the run figures (folds with metrics dicts, sizes, arena, boards) to ReportData.

    Metrics pooled over the evaluated folds (confusions summed) are the headline float/int8
    metrics. Board fits come from `summary.final.board_fits` when given, else are recomputed.
    """
    folds: list[FoldFigures] = []
    pooled: dict[str, list[Metrics]] = {"float": [], "int8": []}
    for f in figures.get("folds", []):
        for kind in pooled:
            if f.get(kind):
                pooled[kind].append(_metrics(f[kind]))
        folds.append(
            FoldFigures(
                name=str(f.get("name", f"fold{len(folds)}")),
                n_test=int(f.get("test_windows", 0)),
                test_groups=[str(g) for g in f.get("test_groups", [])],
                float_accuracy=f["float"]["accuracy"] if f.get("float") else None,
                int8_accuracy=f["int8"]["accuracy"] if f.get("int8") else None,
                epochs_run=int(f.get("epochs_run", 0)),
                train_seconds=float(f.get("train_seconds", 0.0)),
            )
        )
    sizes = figures.get("model_bytes", {})
    arena = figures.get("tflm_arena")
    arena_size = ArenaSize(arena["total"], arena["head"], arena["tail"]) if arena else None
    model = dict(figures.get("model", {}))
    params = int(model.pop("parameters", 0) or 0)
    macs = model.pop("macs", None)
    known = {"project", "dataset", "folds", "model_bytes", "tflm_arena", "boards", "seconds"}
    extra = {k: v for k, v in figures.items() if k not in known and k != "model"}
    extra["model_config"] = model
    timings = {"total": float(figures["seconds"])} if "seconds" in figures else {}
    if folds:
        timings["training"] = sum(f.train_seconds for f in folds)
    return ReportData(
        project=str(figures.get("project", "microforge")),
        dataset=dict(figures.get("dataset", {})),
        float_metrics=combine(pooled["float"]) if pooled["float"] else None,
        int8_metrics=combine(pooled["int8"]) if pooled["int8"] else None,
        float_tflite_bytes=int(sizes.get("float_tflite", 0)),
        int8_tflite_bytes=int(sizes.get("int8_tflite", 0)),
        params=params,
        macs=macs,
        arena=arena_size,
        board_fits=_board_rows(figures, summary, arena_size, int(sizes.get("int8_tflite", 0))),
        folds=folds if len(folds) > 1 else [],
        timings=timings,
        extra=extra,
    )


def _metrics(d: Mapping[str, Any]) -> Metrics:
    return metrics_from_confusion(d["confusion"], d["class_names"])


def _board_rows(figures: Mapping[str, Any], summary: RunSummary | None, arena: ArenaSize | None,
                int8_bytes: int) -> list[BoardFitRow]:
    fits = list(summary.final.board_fits) if summary is not None else []
    if not fits and arena is not None:
        fits = [
            (b["board"], fit_check(load_board(b["board"]), int8_bytes, arena.total))
            for b in figures.get("boards", [])
        ]
    rows = []
    for board_id, fit in fits:
        board = load_board(board_id)
        rows.append(BoardFitRow(board_id, board.name, fit, board.estimate_only))
    return rows
