"""`microforge optimize`: build every configured variant, print the trade-off table."""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from microforge.cli import app, console
from microforge.errors import ConfigError

# the trade-off table in units that fit 80 columns (report.json/docs keep exact figures)
SHORT_COLUMNS = ("variant", "format", "acc %", "params", "tflite", "flash", "RAM", "MACs",
                 "instr")
CONFIG_ARG = typer.Argument(Path("microforge.toml"), help="Project config file (or its folder).")


@app.command()
def optimize(
    config: Path = CONFIG_ARG,
    techniques: str | None = typer.Option(
        None, "--techniques", "-t",
        help="Comma-separated techniques (default: optimize.techniques), e.g. ptq_int8,qat."),
    folds: int | None = typer.Option(None, "--folds", help="Evaluate only the first N folds."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Report folder (default: <output_dir>/optimize)."),
    instructions: bool = typer.Option(
        True, "--instructions/--no-instructions",
        help="Count instructions per inference on the emulated Cortex-M4 when available."),
) -> None:
    """Quantization, pruning and distillation variants of the project's model, compared."""
    from microforge.optimize.tradeoff import tradeoff_report
    from microforge.optimize.variants import check_techniques, optimize_project
    from microforge.project import Project
    from microforge.report.tradeoff import write_tradeoff

    if folds is not None and folds < 1:
        raise ConfigError(f"--folds must be at least 1, got {folds}")
    project = Project.from_toml(config, console)
    chosen = None
    if techniques is not None:
        chosen = [t.strip() for t in techniques.split(",") if t.strip()]
    chosen = check_techniques(chosen, project.config.optimize.techniques)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total}"), TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("optimize", total=None)

        def progress(text: str, done: int, total: int) -> None:
            bar.update(task, description=text, completed=done, total=total)
            if done and text != "done":
                bar.console.log(f"{done}/{total} steps done; now {text}")

        run = optimize_project(project, chosen, folds, progress, instructions)
    report = tradeoff_report(project, run)
    folder = write_tradeoff(project, report, out)
    print_tradeoff(report)
    console.print(f"report: {folder / 'report.html'} ({run.seconds:.0f} s)")


def compact_row(v: dict) -> tuple[str, ...]:
    """A trade-off table row with KB and millions (`*`: TFLM figures)."""
    if v["skipped"] is not None:
        return (v["technique"], v["format"], "skipped", *("-",) * 6)
    star = "*" if v["deploy"] == "tflm" else ""

    def scaled(key: str, unit: float, digits: int, mark: str = "") -> str:
        return "-" if v[key] is None else f"{v[key] / unit:.{digits}f}{mark}"

    acc = "-" if v["accuracy"] is None else (
        f"{100 * v['accuracy']:.1f}±{100 * v['accuracy_std']:.1f}")
    return (v["technique"], v["format"], acc, f"{v['params']:,}",
            scaled("tflite_bytes", 1024, 1), scaled("flash_bytes", 1024, 1, star),
            scaled("ram_bytes", 1024, 1, star), scaled("macs", 1e6, 2),
            scaled("instructions", 1e6, 2))


def print_tradeoff(report) -> None:
    table = Table(title=f"trade-offs: {report.run.project} "
                  f"(accuracy: mean ± std over {len(report.run.folds)} fold(s))",
                  title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
    rows = [compact_row(v.to_dict()) for v in report.run.variants]
    for i, name in enumerate(SHORT_COLUMNS):
        width = max([len(r[i]) for r in rows] + [len(name)])
        table.add_column(name, justify="left" if i < 2 else "right", min_width=width)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print("sizes in KB, MACs and instructions (Cortex-M4) in millions; * not compiled by "
                  "microforge: .tflite (+ TFLM runtime) and TFLM arena")
    for v in report.run.variants:
        if v.skipped:
            console.print(f"{v.technique} skipped: {v.skipped}")
    recs = Table(title=f"recommended variant per board (budget {report.latency_budget_ms:g} ms)",
                 title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
    for name in ("board", "variant", "accuracy", "latency", "how"):
        recs.add_column(name)
    for r in report.recommendations:
        acc = "-" if r.accuracy is None else f"{100 * r.accuracy:.1f} %"
        ms = "-" if r.latency is None or r.latency.ms is None else f"{r.latency.ms:.2f} ms"
        style = "green" if r.technique else "red"
        recs.add_row(r.board_name, f"[{style}]{r.technique or 'none'}[/]", acc, ms,
                     r.latency.source if r.latency else r.reason)
    console.print(recs)
