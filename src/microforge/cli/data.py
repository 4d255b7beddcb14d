"""`microforge data ...`: look at a dataset before training on it."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from rich.table import Table

from microforge.cli import app, console
from microforge.data.load import format_names
from microforge.data.spec import DatasetSpec
from microforge.errors import DataError

data_app = typer.Typer(help="Inspect datasets.", no_args_is_help=True)
app.add_typer(data_app, name="data")

# Config fields named in data errors -> the `data inspect` flag that sets them.
FLAGS = {
    "dataset.sample_rate": "--sample-rate",
    "dataset.timestamp_column": "--timestamp-column",
    "dataset.format": "--format",
    "dataset.path": "the PATH argument",
    "dataset.events.window_ms": "--window-ms",
    "windowing.window_ms": "--window-ms",
    "dataset.events.event_offset_ms": "--event-offset-ms",
    "dataset.label_map": "--label-map",
}
MAX_GROUP_COLUMNS = 12


def with_flags(message: str) -> str:
    """`dataset.sample_rate` -> `dataset.sample_rate (--sample-rate)`, each field once."""
    def add(match: re.Match[str]) -> str:
        flag = FLAGS.get(match.group(0))
        return f"{match.group(0)} ({flag})" if flag else match.group(0)

    return re.sub(r"\b(?:dataset|windowing)\.[a-z_]+(?:\.[a-z_]+)?\b", add, message)


@data_app.command("inspect")
def inspect_command(
    path: Path = typer.Argument(None, help="Dataset folder (one folder per class, a public "
                                "layout, recordings + annotations...). Default: the config's."),
    format: str = typer.Option("auto", "--format", "-f", help=f"One of {', '.join(format_names())}."),
    sample_rate: float = typer.Option(None, "--sample-rate", help="Hz, for files without one."),
    timestamp_column: str = typer.Option(None, "--timestamp-column", help="CSV time column."),
    window_ms: float = typer.Option(None, "--window-ms",
                                    help="Event data: the window around each event."),
    event_offset_ms: float = typer.Option(None, "--event-offset-ms",
                                          help="Event data: the event's place in its window "
                                          "(default: centred)."),
    label_map: str = typer.Option(None, "--label-map", help="A label map preset (aami)."),
    config: Path = typer.Option(None, "--config", "-c",
                                help="Take every [dataset] setting from this microforge.toml."),
    contact_sheet: Path = typer.Option(Path("contact_sheet.png"), "--contact-sheet",
                                       help="Images: where to write the contact sheet (PNG)."),
) -> None:
    """Classes, recordings, durations, rates, channels, classes x groups, problems found."""
    from microforge.data.image_inspect import IMAGE_FORMATS
    from microforge.data.inspect import inspect_dataset
    from microforge.data.load import detect_format

    try:
        spec = _spec(path, format, sample_rate, timestamp_column, window_ms, event_offset_ms,
                     label_map, config)
        fmt = detect_format(Path(spec.path)) if spec.format == "auto" else spec.format
        if fmt in IMAGE_FORMATS:
            _inspect_images(spec, contact_sheet)
            return
        report = inspect_dataset(spec)
    except DataError as exc:
        raise DataError(with_flags(str(exc))) from None
    table = Table(title=f"{report.path} ({report.format})")
    for column in ("class", "recordings", "groups", "duration (s)"):
        table.add_column(column, justify="left" if column == "class" else "right")
    for c in report.classes:
        table.add_row(c.name, str(c.recordings), str(c.groups), f"{c.duration_s:.1f}")
    console.print(table)
    caption, groups_table = _class_group_table(report.class_groups)
    console.print(caption, highlight=False, soft_wrap=True)
    console.print(groups_table)
    rates = ", ".join(f"{r:g}" for r in report.sample_rates)
    console.print(
        f"{report.recordings} recordings, {report.groups} groups, "
        f"{report.total_duration_s:.1f} s in total (min {report.min_duration_s:.2f} s, "
        f"max {report.max_duration_s:.2f} s); sample rate {rates} Hz; "
        f"channels: {', '.join(report.channels)}",
        highlight=False, soft_wrap=True, markup=False,
    )
    for problem in report.problems:
        console.print(f"[yellow]warning:[/] {with_flags(problem)}", highlight=False,
                      soft_wrap=True)
    if not report.problems:
        console.print("no problems found")


def _spec(path, format, sample_rate, timestamp_column, window_ms, event_offset_ms, label_map,
          config) -> DatasetSpec:
    from microforge.data.spec import CsvOptions, EventOptions

    if format not in format_names():
        raise DataError(f"--format: unknown format {format!r}; one of {', '.join(format_names())}")
    if config is not None:
        from microforge.config import load_config
        from microforge.workspace.specs import dataset_spec

        spec = dataset_spec(load_config(config))
        if path is not None:
            spec.path = Path(path)
        return spec
    if path is None:
        raise DataError("data inspect: give the dataset folder (PATH) or --config microforge.toml")
    return DatasetSpec(path, format=format, sample_rate=sample_rate,
                       csv=CsvOptions(timestamp_column=timestamp_column),
                       events=EventOptions(window_ms=window_ms, event_offset_ms=event_offset_ms),
                       label_map=label_map)


def _class_group_table(class_groups: dict[str, dict[str, int]]) -> tuple[str, Table]:
    """Recordings per class (rows) and group (columns); the largest groups when there are many."""
    totals: dict[str, int] = {}
    for per_group in class_groups.values():
        for g, n in per_group.items():
            totals[g] = totals.get(g, 0) + n
    groups = sorted(totals, key=lambda g: (-totals[g], g))
    shown = sorted(groups[:MAX_GROUP_COLUMNS])
    more = len(groups) - len(shown)
    caption = "recordings per class and group" + (
        f" (the {len(shown)} largest of {len(groups)} groups; {more} not shown)" if more else ""
    ) + ":"
    table = Table()
    table.add_column("class")
    for g in shown:
        table.add_column(g, justify="right")
    for cls, per_group in class_groups.items():
        table.add_row(cls, *[str(per_group.get(g, 0)) for g in shown])
    return caption, table


def _inspect_images(spec: DatasetSpec, sheet: Path) -> None:
    from microforge.data.image_inspect import inspect_images

    report = inspect_images(spec, sheet)
    table = Table(title=f"{report.path} ({report.format})")
    for column in ("class", "images", "groups", "objects"):
        table.add_column(column, justify="left" if column == "class" else "right")
    for c in report.classes:
        table.add_row(c.name, str(c.images), str(c.groups), str(c.objects))
    console.print(table)
    caption, groups_table = _class_group_table(report.class_groups)
    console.print(caption.replace("recordings", "images"), highlight=False, soft_wrap=True)
    console.print(groups_table)
    sizes = ", ".join(f"{size} ({n})" for size, n in report.sizes.items())
    console.print(f"{report.images} images, {report.groups} groups; sizes {sizes}; channels: "
                  f"{', '.join(report.channels)}; contact sheet: {report.contact_sheet}",
                  highlight=False, soft_wrap=True, markup=False)
    for problem in report.problems:
        console.print(f"[yellow]warning:[/] {with_flags(problem)}", highlight=False,
                      soft_wrap=True)
    if not report.problems:
        console.print("no problems found")
