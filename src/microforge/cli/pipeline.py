"""`microforge init | run | train | quantize | export | demo`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from microforge.cli import app, console
from microforge.errors import ConfigError

if TYPE_CHECKING:
    from microforge.pipeline.summary import RunSummary

CONFIG_ARG = typer.Argument(Path("microforge.toml"), help="Project config file (or its folder).")
OUT_OPT = typer.Option(None, "--out", "-o", help="Output folder (default: build/<name>).")


@app.command()
def init(
    directory: Path = typer.Argument(Path("."), help="Folder to create microforge.toml in."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing microforge.toml."),
) -> None:
    """Write a commented microforge.toml template."""
    from microforge.atomic import atomic_write_text
    from microforge.paths import PACKAGE_DIR

    target = directory / "microforge.toml"
    if target.exists() and not force:
        raise ConfigError(f"{target}: already exists; use --force to overwrite it")
    template = (PACKAGE_DIR / "templates" / "microforge.toml").read_text(encoding="utf-8")
    atomic_write_text(target, template)
    console.print(f"wrote {target}; edit [dataset] path, then run `microforge run {target}`")


@app.command()
def run(config: Path = CONFIG_ARG, out: Path | None = OUT_OPT) -> None:
    """Run every stage: data, DSP, training, int8 quantization, TFLM export, report."""
    from microforge.project import Project

    print_summary(Project.from_toml(config, console).run(out))


def _stage_command(stage: str, help_text: str) -> None:
    def command(config: Path = CONFIG_ARG, out: Path | None = OUT_OPT) -> None:
        from microforge.project import Project

        print_summary(Project.from_toml(config, console).run_stage(stage, out))

    command.__doc__ = help_text
    app.command(name=stage)(command)


_stage_command("train", "Train the float model (and fit the DSP block) into the output folder.")
_stage_command("quantize", "Quantize the trained model to int8 and evaluate it with TFLM.")
_stage_command("export", "Write the TFLM sources (model_data.h/.cc), arena, board fit, report.")


@app.command()
def demo(
    out: Path = typer.Option(Path("build/demo"), "--out", "-o", help="Output folder."),
    seed: int = typer.Option(0, help="Seed of the synthetic dataset and of training."),
) -> None:
    """The whole pipeline on a built-in synthetic machine-vibration dataset."""
    from microforge.demo import run_demo

    print_summary(run_demo(out, seed=seed, console=console))


def print_summary(summary: RunSummary) -> None:
    """The figures of a run as one table."""
    table = Table(title=f"microforge: {summary.project}", show_header=False, title_style="bold")
    table.add_column("figure", style="bold")
    table.add_column("value")
    for kind in ("float", "int8"):
        acc = summary.accuracy(kind)
        if acc is not None:
            mean, std = acc
            folds = len(summary.evaluated)
            spread = f" ± {100 * std:.1f} over {folds} folds" if folds > 1 else ""
            table.add_row(f"{kind} accuracy", f"{100 * mean:.1f} %{spread}")
    final = summary.final
    if final.params:
        table.add_row("parameters", f"{final.params:,}")
    if final.float_tflite_bytes:
        table.add_row("model bytes (float .tflite)", f"{final.float_tflite_bytes:,}")
    if final.int8_tflite_bytes:
        table.add_row("model bytes (int8 .tflite)", f"{final.int8_tflite_bytes:,}")
    if final.arena is not None:
        arena = final.arena
        table.add_row(
            "TFLM arena (measured)",
            f"{arena.total:,} B (activations {arena.head:,} + bookkeeping {arena.tail:,})",
        )
    for board_id, fit in final.board_fits:
        style = "green" if fit.fits else "red"
        table.add_row(f"board {board_id}", f"[{style}]{fit.message}[/]")
    table.add_row("time", f"{summary.seconds:.1f} s")
    if summary.out_dir is not None:
        table.add_row("outputs", str(summary.out_dir))
    console.print(table)
