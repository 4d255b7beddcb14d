"""`microforge collect` and `microforge live`: data from a device over a serial port."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from microforge.cli import app, console, err_console
from microforge.errors import DataError


def _print(line: str) -> None:
    console.print(line, highlight=False, soft_wrap=True)


def _axes(axes: str | None) -> list[str] | None:
    if axes is None:
        return None
    names = [a.strip() for a in axes.replace("\t", ",").split(",")]
    if not all(names) or len(set(names)) != len(names):
        raise DataError(f"--axes {axes!r}: comma-separated, distinct, non-empty names")
    return names


@app.command("collect")
def collect_command(
    port: str = typer.Option(..., "--port", "-p", help="Serial port (/dev/ttyACM0, COM3, a pty, "
                             "or a pyserial URL such as socket://localhost:5555)."),
    label: str = typer.Option(..., "--label", "-l", help="Class of what is recorded."),
    out: Path = typer.Option(..., "--out", "-o", help="Dataset folder (one folder per label)."),
    rate: float = typer.Option(None, "--rate", "-r", help="Sample rate in Hz; default: measured."),
    seconds: float = typer.Option(None, "--seconds", "-s", help="How long; default: Ctrl-C."),
    session: str = typer.Option(None, "--session", help="Session name = group (default: now)."),
    axes: str = typer.Option(None, "--axes", help="Names of the values, e.g. accX,accY,accZ."),
    format: str = typer.Option("csv", "--format", "-f", help="csv, json or cbor (Edge Impulse)."),
    baud: int = typer.Option(115200, "--baud", help="Baud rate of a real serial port."),
) -> None:
    """Record lines of comma/tab separated values from a device into the dataset layout."""
    from microforge.collect.display import LiveDisplay
    from microforge.collect.session import check_names, collect, open_port

    check_names(label, session, format, rate, seconds)
    names = _axes(axes)
    display = LiveDisplay(err_console)
    try:
        result = collect(open_port(port, baud), label, out, rate=rate, seconds=seconds,
                         session=session, axes=names, fmt=format, on_update=display)
    finally:
        display.close()
    measured = result.rate
    how = {"time": "", "interrupted": " (stopped with Ctrl-C)",
           "disconnected": " (the device went away; kept what came before)",
           "samples": ""}[result.stopped]
    _print(f"wrote {escape(str(result.path))}: {result.samples} samples x {len(result.axes)} "
           f"({', '.join(result.axes)}) at {result.recorded_rate:g} Hz, "
           f"{result.samples / result.recorded_rate:.1f} s{how}")
    if measured is not None:
        source = "given with --rate" if rate is not None else (
            "the measured rate rounded" if measured.snapped else "measured")
        _print(f"rate: measured {measured.measured:.5g} Hz over {measured.lines} lines in "
               f"{measured.span_s:.1f} s; recorded at {result.recorded_rate:g} Hz ({source})")
    s = result.stats
    _print(f"lines: {s.lines} received, {s.samples} kept, {s.dropped} dropped "
           f"({s.garbled} garbled, {s.wrong_width} with another number of values, "
           f"{s.text_lines} text)"
           + (f", {result.missing} missing by --rate" if result.missing is not None else ""))
    if s.text:
        _print(f"device text, last: {escape(s.text[-1])}")
    for warning in result.warnings:
        _print(f"[yellow]warning:[/] {escape(warning)}")
    reader = 'format = "csv", timestamp_column = "timestamp"' if format == "csv" else (
        'format = "edge_impulse"')
    _print(f"group (session): {result.session}; read the dataset with \\[dataset] {reader}")


@app.command("live")
def live_command(
    project: Path = typer.Argument(None, help="A trained project (microforge.toml or its folder)."
                                   " Without it: show what the device prints."),
    port: str = typer.Option(..., "--port", "-p", help="Serial port, pty or pyserial URL."),
    seconds: float = typer.Option(None, "--seconds", "-s", help="How long; default: Ctrl-C."),
    run_dir: Path = typer.Option(None, "--run", help="The run folder (default: the config's)."),
    baud: int = typer.Option(115200, "--baud", help="Baud rate of a real serial port."),
) -> None:
    """Classify a device's stream on the host with the project's pipeline, window by window;
    lines the device prints itself (its own results) are shown as they come."""
    from microforge.collect.live import LiveEvent, load_pipeline, run_live
    from microforge.collect.session import open_port

    if seconds is not None and not seconds > 0:
        raise DataError(f"--seconds {seconds:g}: must be > 0")
    pipeline = load_pipeline(project, run_dir) if project is not None else None
    if pipeline is not None:
        _print(f"classifying {port} with {project} ({', '.join(pipeline.labels)}; "
               f"{pipeline.block.win_len} samples x {pipeline.block.n_channels} at "
               f"{pipeline.sample_rate:g} Hz per window, every {pipeline.stride} samples)")

    def show(event: LiveEvent) -> None:
        if event.kind == "decision":
            _print(f"{event.time_s:8.2f} s  [bold]{escape(event.label or '')}[/] "
                   f"{event.score:.2f}")
        else:
            _print(f"{event.time_s:8.2f} s  device: {escape(event.text)}")

    result = run_live(open_port(port, baud), pipeline, seconds=seconds, on_event=show)
    rate = f"{result.rate.measured:.5g} Hz" if result.rate else "unknown rate"
    s = result.stats
    _print(f"{s.samples} samples ({rate}), {len(result.decisions)} decisions, "
           f"{s.dropped} lines not samples ({s.text_lines} text, {s.garbled} garbled, "
           f"{s.wrong_width} with another number of values)")
    for warning in result.warnings:
        _print(f"[yellow]warning:[/] {escape(warning)}")
