"""`microforge init | run | train | quantize | export | demo`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
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
    name = project_name_for(directory)
    template = template.replace('name = "my_project"', f'name = "{name}"', 1)
    template = template.replace("build/my_project", f"build/{name}")
    directory.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, template)
    console.print(escape(f"wrote {target} (project {name!r}); edit [dataset] path, then run "
                         f"`microforge run {target}`"), highlight=False, soft_wrap=True)


def project_name_for(directory: Path) -> str:
    """The folder's name as a project name (letters, digits, _ and -), "my_project" if none."""
    import re

    name = re.sub(r"[^A-Za-z0-9_-]+", "_", directory.resolve().name).strip("_-")
    if name and not re.match(r"[A-Za-z_]", name):
        name = f"p_{name}"  # a project name starts with a letter or _
    return name or "my_project"


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
    project = out.parent / f"{out.name}-data"
    console.print(f"next: microforge verify {project} --board arduino_nano_33_ble_sense --labels;"
                  f" microforge deploy {project} --format arduino -o {out.parent / 'demo-arduino'}",
                  markup=False)


def print_summary(summary: RunSummary) -> None:
    """The figures of a run as one table."""
    from microforge.classical.trained import reference_of

    table = Table(title=f"microforge: {summary.project}", show_header=False, title_style="bold")
    table.add_column("figure", style="bold")
    table.add_column("value", overflow="fold")  # paths and board names are never cut
    final = summary.final
    for kind in ("float", "int8"):
        acc = summary.accuracy(kind)
        if acc is not None:
            mean, std = acc
            folds = len(summary.evaluated)
            spread = f" ± {100 * std:.1f} over {folds} folds" if folds > 1 else ""
            name = (f"{final.model_kind} ({reference_of(final.model_kind)})"
                    if final.model_kind else kind)
            detector = (summary.figures.get("classical") or {}).get("role") == "detector"
            what = " (normal vs anomaly)" if detector else ""
            table.add_row(f"{name} accuracy{what}", f"{100 * mean:.1f} %{spread}")
    for result in summary.results:
        for kind, m in (("float", getattr(result.detection, "float", None)),
                        ("int8", getattr(result.detection, "int8", None))):
            if m is not None:
                o = m.overall
                table.add_row(f"{kind} centroid F1 ({result.name})",
                              f"{100 * o.f1:.1f} % (precision {100 * o.precision:.1f} %, recall "
                              f"{100 * o.recall:.1f} %; {result.detection.objects} objects in "
                              f"{result.detection.images} test images, within {m.distance:g} px)")
        if result.anomaly is not None:
            a = result.anomaly
            auc = "-" if a.roc_auc is None else f"{a.roc_auc:.4f}"
            detection = "-" if a.detection_rate is None else f"{100 * a.detection_rate:.1f} %"
            alarms = "-" if a.false_alarm_rate is None else f"{100 * a.false_alarm_rate:.1f} %"
            table.add_row(f"anomaly ({a.detector}, {result.name})",
                          f"ROC AUC {auc}; detection {detection} of {a.n_faults} fault "
                          f"windows at {alarms} false alarms on {a.n_normal} normal windows")
    sizes = final.library_sizes
    if sizes:
        total = (sum(v["flash_bytes"] for k, v in sizes.items() if k != "target"),
                 sum(v["ram_bytes"] for k, v in sizes.items() if k != "target"))
        model = sizes.get("network", {"flash_bytes": 0, "ram_bytes": 0})
        table.add_row(f"C library, -Os ({sizes['target']})",
                      f"{total[0]:,} B flash, {total[1]:,} B RAM (model {model['flash_bytes']:,}"
                      f" B flash)")
    external = summary.figures.get("external_model")
    if external:
        table.add_row("model", f"trained elsewhere: {escape(external['tflite'])} (this "
                               "project's DSP and pipeline)")
    if final.params:
        table.add_row("parameters", f"{final.params:,}")
    if final.float_tflite_bytes:
        table.add_row("model bytes (float .tflite)", f"{final.float_tflite_bytes:,}")
    if final.int8_tflite_bytes:
        table.add_row("model bytes (int8 .tflite)", f"{final.int8_tflite_bytes:,}")
    figures = summary.figures
    c_lib = figures.get("c_library")
    for figure, value in c_library_rows(c_lib):
        table.add_row(figure, value)
    for figure, value in compare_board_rows(figures.get("profile"), c_lib):
        table.add_row(figure, value)
    if final.arena is not None:
        arena = final.arena
        table.add_row(
            "TFLM arena (measured)",
            f"{arena.total:,} B (activations {arena.head:,} + bookkeeping {arena.tail:,})",
        )
    estimate = "C library" if final.model_kind else "TFLM estimate"
    for board_id, fit in final.board_fits:
        style = "green" if fit.fits else "red"
        table.add_row(f"board {board_id}, {estimate}", f"[{style}]{fit.message}[/]")
    table.add_row("time", f"{summary.seconds:.1f} s")
    if summary.out_dir is not None:
        table.add_row("outputs", str(summary.out_dir))
    console.print(table)


def c_library_rows(c_lib: dict | None) -> list[tuple[str, str]]:
    """The microforge C library's figures on the target board (pipeline.c_library_stage)."""
    if not c_lib:
        return []
    board = c_lib["board"]
    if c_lib.get("absent"):
        return [(f"microforge C library on {board}", f"not measured: {c_lib['absent']}")]
    agree, exact = c_lib["c_python"], c_lib.get("tflm_bitexact")
    fits = "[green]fits[/]" if c_lib["fits"] else "[red]does not fit[/]"
    return [
        (f"board {board}, microforge C (measured)",
         f"{fits}: firmware {c_lib['firmware_flash_bytes'] / 1024:,.1f} KB flash of "
         f"{c_lib['board_flash_bytes'] // 1024:,} KB, {c_lib['firmware_ram_bytes'] / 1024:,.1f} "
         f"KB RAM of {c_lib['board_ram_bytes'] // 1024:,} KB"),
        ("microforge C library (DSP + model + post-processing)",
         f"{c_lib['library_flash_bytes']:,} B flash, {c_lib['library_ram_bytes']:,} B RAM "
         f"({c_lib['core']}, QEMU {c_lib['machine']})"),
        ("instructions per inference (emulated)",
         f"{c_lib['instructions']:,.0f} (DSP {c_lib['dsp_instructions']:,.0f} + network "
         f"{c_lib['network_instructions']:,.0f}), est. {c_lib['latency_ms']:.2f} ms"),
        ("C == Python pipeline",
         f"{agree['agreeing']} of {agree['windows']} windows ({agree['source']})"),
    ] + _model_check_rows(exact, c_lib.get("sklearn_exact"))


def _model_check_rows(exact: dict | None, sklearn: dict | None) -> list[tuple[str, str]]:
    rows = []
    if exact:
        rows.append(("model bit-exact with TFLM",
                     ("[green]yes[/]" if exact["passed"] else "[red]no[/]")
                     + f" on {exact['inputs']} input sets (max |diff| "
                       f"{exact['max_abs_diff']:g})"))
    if sklearn:
        rows.append(("model C == scikit-learn",
                     ("[green]yes[/]" if sklearn["passed"] else "[red]no[/]")
                     + f": host {sklearn['host_agreeing']}, {sklearn['board']} "
                       f"{sklearn['mcu_agreeing']} of {sklearn['windows']} windows "
                       f"({sklearn['source']})"))
    return rows


def compare_board_rows(profile: dict | None, c_lib: dict | None) -> list[tuple[str, str]]:
    """The C pipeline's fit on the other boards of the report's profile section (the target
    board's is in c_library_rows)."""
    target = (c_lib or {}).get("board")
    rows = []
    for row in (profile or {}).get("rows", []):
        if row["board_id"] == target or row.get("dsp_instructions") is None:
            continue
        how = "estimated" if row.get("estimate") else "measured"
        fits = "[green]fits[/]" if row["fits"] else f"[red]no[/]: {escape(row['message'])}"
        rows.append((f"board {row['board_id']}, microforge C ({how})",
                     f"{fits}: firmware {row['flash_bytes'] / 1024:,.1f} KB flash of "
                     f"{row['board_flash_bytes'] // 1024:,} KB, {row['ram_bytes'] / 1024:,.1f}"
                     f" KB RAM of {row['board_ram_bytes'] // 1024:,} KB"))
    return rows
