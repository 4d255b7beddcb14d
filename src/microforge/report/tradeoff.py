"""The trade-off report of an optimize run, written atomically to `<output>/optimize/`:
optimization.json (the section), report.json and report.html (the project report with the
"optimization" section) and tradeoff.png."""

from __future__ import annotations

import base64
from pathlib import Path

from microforge.atomic import atomic_dir, atomic_write_json
from microforge.optimize.tradeoff import TradeoffReport
from microforge.report.data import ReportData
from microforge.report.plots import tradeoff_png
from microforge.report.writer import write_report
from microforge.workspace.data import ProjectData
from microforge.workspace.rundir import RunDir


def write_tradeoff(project: ProjectData, report: TradeoffReport, out_dir: Path | None = None) -> Path:
    """Write the report folder (default `<output>/optimize`) atomically; returns it."""
    out = Path(out_dir) if out_dir else RunDir(project.config.output_path()).optimize_dir
    section = report.section()
    dataset, windows = project.load()
    baseline = next((v for v in report.run.built() if v.technique == "float32"), None)
    data = ReportData(
        project=project.config.project.name,
        dataset={"classes": list(dataset.classes), "windows": int(len(windows.y)),
                 "folds": ", ".join(report.run.folds)},
        params=baseline.params if baseline else 0,
        macs=baseline.cost.macs if baseline and baseline.cost else None,
        timings={"optimize": report.run.seconds},
        optimization=section,
    )
    with atomic_dir(out) as tmp:
        atomic_write_json(tmp / "optimization.json", section)
        write_report(tmp, data)
        png = tradeoff_png(section["variants"])
        if png:
            (tmp / "tradeoff.png").write_bytes(base64.b64decode(png))
    return out
