"""report.json (every figure) and report.html (self-contained, plots embedded) for a run."""

from microforge.report.data import BoardFitRow, FoldFigures, ReportData
from microforge.report.writer import render_html, write_report

__all__ = [
    "BoardFitRow",
    "FoldFigures",
    "ReportData",
    "render_html",
    "write_report",
]
