"""Write report.json (every figure) and a self-contained report.html (plots embedded)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from microforge.atomic import atomic_write_json, atomic_write_text
from microforge.pipeline.summary import RunSummary
from microforge.report.data import ReportData
from microforge.report.plots import accuracy_png, confusion_png, tradeoff_png
from microforge.targets.boards import TFLM_RAM_ALLOWANCE_BYTES, TFLM_RUNTIME_FLASH_BYTES

TEMPLATES_DIR = Path(__file__).parent / "templates"


def write_report(
    out_dir: Path | str, data: ReportData | Mapping[str, Any], summary: RunSummary | None = None
) -> tuple[Path, Path]:
    """Write out_dir/report.json and out_dir/report.html; returns their paths.

    `data` is a ReportData; a pipeline figures mapping plus its RunSummary is also accepted
    (converted with `microforge.report.from_run.report_data_from_run`).
    """
    if not isinstance(data, ReportData):
        from microforge.report.from_run import report_data_from_run

        data = report_data_from_run(data, summary)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out / "report.json", out / "report.html"
    atomic_write_json(json_path, data.to_dict())
    atomic_write_text(html_path, render_html(data))
    return json_path, html_path


def render_html(data: ReportData) -> str:
    import jinja2

    from microforge.version import __version__

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    metrics, kind = (
        (data.int8_metrics, "int8, TFLM")
        if data.int8_metrics
        else (
            data.float_metrics,
            "float",
        )
    )
    confusion = confusion_png(metrics, f"confusion ({kind})") if metrics else None
    return env.get_template("report.html.j2").render(
        d=data,
        version=__version__,
        pct=lambda v: f"{100 * v:.1f} %",
        metrics=metrics,
        metrics_kind=kind,
        confusion_plot=confusion,
        accuracy_plot=_accuracy_plot(data),
        optimization=data.optimization,
        tradeoff_plot=tradeoff_png(data.optimization["variants"]) if data.optimization else None,
        runtime_kb=TFLM_RUNTIME_FLASH_BYTES // 1024,
        ram_kb=TFLM_RAM_ALLOWANCE_BYTES // 1024,
    )


def _accuracy_plot(data: ReportData) -> str | None:
    if data.folds and any(
        f.float_accuracy is not None or f.int8_accuracy is not None for f in data.folds
    ):
        return accuracy_png(
            [f.name for f in data.folds],
            [f.float_accuracy for f in data.folds],
            [f.int8_accuracy for f in data.folds],
        )
    if data.float_metrics or data.int8_metrics:
        return accuracy_png(
            ["test"],
            [data.float_metrics.accuracy if data.float_metrics else None],
            [data.int8_metrics.accuracy if data.int8_metrics else None],
        )
    return None

