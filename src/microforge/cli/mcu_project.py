"""`microforge verify | profile PROJECT`: the printing of a trained project's C pipeline figures
(DSP and network apart). The commands themselves are in cli/mcu.py."""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.table import Table

from microforge.cli import console

PART_NAMES = {"dsp": "DSP", "network": "network", "pipeline": "glue"}


def _print(line: str) -> None:
    console.print(line, highlight=False, soft_wrap=True)


def print_project_verify(report) -> None:
    """The verify report of a project (targets.project_verify.ProjectVerifyReport)."""
    from microforge.classical.trained import reference_of
    from microforge.measure.project_verify import MIN_AGREEMENT

    b, core = report.board, report.core
    variant = "fixed-point" if report.fixed_point else "float"
    _print(f"[bold]{report.config_path}[/] ({report.project} pipeline, {variant} DSP) on "
           f"{b.name} ({core.name}, QEMU {core.machine})")
    status = "[green]OK[/]" if report.agreement >= MIN_AGREEMENT else "[red]MISMATCH[/]"
    reference = reference_of(report.classical.kind) if report.classical is not None else "TFLM"
    _print(f"  {status}: {report.n_windows} windows of {report.n_recordings} {report.source}: "
           f"C decisions equal the Python pipeline ({reference}) on "
           f"{100 * report.agreement:.2f} % (bar {100 * MIN_AGREEMENT:.1f} %)")
    check = report.classical
    if check is not None:
        ok = "[green]OK[/]" if check.passed else "[red]MISMATCH[/]"
        instr = (f"; {check.instructions_mean:,.0f} instructions per decision (max "
                 f"{check.instructions_max:,})" if check.instructions_mean is not None else "")
        _print(f"  {ok}: the {check.kind} model's C decides as {reference} on "
               f"{check.host_agreeing} of {check.windows} {check.source} on the host and "
               f"{check.mcu_agreeing} of {check.windows} on {check.board}{instr}")
        for line in check.mismatches[:20]:
            _print(f"  differs: {line}")
    table = Table(title="per part, on this core (linked into the firmware)")
    for column in ("part", "instructions / window", "est. ms", "flash B", "RAM B"):
        table.add_column(column, justify="left" if column == "part" else "right")
    for part, figures in report.parts.items():
        ms = report.latency_ms(part)
        name = "model" if part == "network" and report.classical is not None else PART_NAMES[part]
        table.add_row(name,
                      f"{figures.instructions:,.0f}" if figures.instructions is not None else "-",
                      f"{ms:,.2f}" if ms is not None else "-",
                      f"{figures.flash_bytes:,}", f"{figures.ram_bytes:,}")
    console.print(table)
    for line in (
        ("model = the classical model" if report.classical is not None else
         "network = feature quantization + the model") + "; glue = window buffer, "
        "post-processing",
        f"firmware flash (text + rodata + data): {report.flash_bytes:,} B of {b.flash_kb:,} KB "
        f"(pipeline library {report.library_flash_bytes:,} B)",
        f"firmware static RAM (data + bss): {report.ram_bytes:,} B of {b.ram_kb:,} KB "
        f"(pipeline library {report.library_ram_bytes:,} B)",
        f"stack high-water mark: {report.stack_bytes:,} B",
        f"est. ms at {b.clock_mhz:g} MHz assuming {core.cycles_per_instruction:g} cycles per "
        f"instruction ({core.cpi_source})",
    ):
        _print(f"  {line}")
    for line in report.mismatches[:20]:
        _print(f"  differs: {line}")


def print_frame_verify(report) -> None:
    """The verify report of an image project's frame library (measure.frame_verify)."""
    b, core = report.board, report.core
    w, h = report.frame_size
    kind = "detector (centroids)" if report.detector else "classifier (label)"
    _print(f"[bold]{report.config_path}[/] ({report.project} frame library, {kind}; "
           f"{w}x{h} {report.frame_format} frames) on {b.name} ({core.name}, QEMU "
           f"{core.machine})")
    ok = "[green]OK[/]" if report.passed else "[red]MISMATCH[/]"
    _print(f"  {ok}: {report.n_images} {report.source}: C equal to the Python twin (image "
           f"block integer path, TFLM, the same post-processing) on {report.host_agreeing} on "
           f"the host (gcc -O2) and {report.mcu_agreeing} on {b.id}")
    m = report.c_metrics
    if m is not None:
        o = m.overall
        _print(f"  C centroids against the objects: F1 {100 * o.f1:.1f} % (precision "
               f"{100 * o.precision:.1f} %, recall {100 * o.recall:.1f} %; TP {o.tp}, FP "
               f"{o.fp}, FN {o.fn}; within {m.distance:g} input px)")
    if report.c_accuracy is not None:
        _print(f"  C labels against the images' labels: {100 * report.c_accuracy:.1f} %")
    if not report.held_out:
        _print("  [red]warning[/]: these images were used in training")
    for line in (
        f"instructions per frame: image block {report.dsp_instructions:,.0f}, model "
        f"{report.network_instructions:,.0f}; est. {report.latency_ms():,.2f} ms at "
        f"{b.clock_mhz:g} MHz assuming {core.cycles_per_instruction:g} cycles per instruction "
        f"({core.cpi_source})",
        f"firmware flash (text + rodata + data): {report.flash_bytes:,} B of {b.flash_kb:,} KB "
        f"(frame library {report.library_flash_bytes:,} B)",
        f"firmware static RAM (data + bss): {report.ram_bytes:,} B of {b.ram_kb:,} KB "
        f"(frame library {report.library_ram_bytes:,} B; the frame is the caller's buffer)",
        f"stack high-water mark: {report.stack_bytes:,} B",
    ):
        _print(f"  {line}")
    for line in report.mismatches[:20]:
        _print(f"  differs: {line}")


def print_label_accuracy(report) -> None:
    """On-device accuracy per class (the C decisions against the recordings' labels) beside
    the Python pipeline's."""
    where = "held-out" if report.held_out else "[bold red]TRAINING[/] (not held out)"
    table = Table(title=f"accuracy against the labels, {where} windows "
                        f"({report.source})", title_justify="left")
    for column in ("class", "windows", f"on {report.board.id} (C)", "Python"):
        table.add_column(column, justify="left" if column == "class" else "right",
                         no_wrap=True)
    for name, n, c_acc, py_acc in report.label_accuracy():
        table.add_row(name if name != "all" else "[bold]all[/]", f"{n:,}",
                      f"{100 * c_acc:.2f} %", f"{100 * py_acc:.2f} %")
    console.print(table)
    if not report.held_out:
        _print("  [red]warning[/]: these windows were used in training; the accuracy says "
               "nothing about new data")


def _count(value: int) -> str:
    return f"{value / 1e6:.2f}M" if value >= 1e6 else f"{value / 1e3:.1f}k"


def _kb(flash: int, ram: int) -> str:
    return f"{flash / 1024:.1f}/{ram / 1024:.1f}"


def print_project_profile(path: Path, rows, frames: bool = False) -> None:
    """The profile table of a project (targets.project_profile.ProjectProfileRow rows);
    frames: an image project's frame library (measure.frame_profile)."""
    what = "frame library" if frames else "pipeline"
    table = Table(title=f"{path} {what} on {len(rows)} board(s)", box=box.SIMPLE_HEAD,
                  padding=(0, 0, 0, 1), pad_edge=False)
    dsp = "image" if frames else "DSP"
    columns = ("board", "fits", f"{dsp}\ninstr", "net\ninstr", f"{dsp}\nms", "net\nms",
               f"{dsp}\nKB", "net\nKB", "firmware\nKB")
    cells = []
    for row in rows:
        star = "*" if row.estimate else ""
        fits = "yes" if row.fits else f"no: {row.message}"
        if row.dsp_instructions is None:
            cells.append([row.board_id, fits, *(["-"] * 7)])
            continue
        cells.append([
            row.board_id, fits, _count(row.dsp_instructions) + star,
            _count(row.network_instructions) + star, f"{row.latency_ms('dsp'):,.2f}{star}",
            f"{row.latency_ms('network'):,.2f}{star}",
            _kb(row.part_flash["dsp"], row.part_ram["dsp"]),
            _kb(row.part_flash["network"], row.part_ram["network"]),
            _kb(row.flash_bytes, row.ram_bytes)])
    for i, column in enumerate(columns):
        if i < 2:  # names and messages fold; the figures are never cut
            table.add_column(column, justify="left", overflow="fold", min_width=4 + 6 * (i == 0))
        else:
            width = max([len(c[i]) for c in cells] + [len(w) for w in column.split()])
            table.add_column(column, justify="right", no_wrap=True, min_width=width)
    for row, line in zip(rows, cells, strict=True):
        colour = "green" if row.fits else "red"
        table.add_row(line[0], f"[{colour}]{line[1]}[/]", *line[2:])
    console.print(table)
    if frames:
        _print("instructions per camera frame (one real test image, encoded as the camera's "
               "frame_format); image = the image block (frame -> int8 model input); net = the "
               "model and the FOMO post-processing; KB = flash / RAM, per part as linked into "
               "the firmware, and the whole firmware (RAM: data + bss + stack high-water; the "
               "frame buffer included); est. ms = instructions x cycles per instruction / "
               "clock; * = estimated.")
    else:
        _print("instructions per window (one real test window); net = feature quantization + "
               "the model; KB = flash / RAM, per part as linked into the firmware, and the "
               "whole firmware (RAM: data + bss + stack high-water); est. ms = instructions x "
               "cycles per instruction / clock; * = estimated.")
    for row in rows:
        dsp = ("integer image block" if frames else
               "fixed-point DSP" if row.fixed_point else "float DSP")
        _print(f"  {row.board_id}: {row.core} at {row.clock_mhz:g} MHz, {dsp}, "
               f"{row.board_flash_bytes // 1024:,} KB flash / {row.board_ram_bytes // 1024:,} KB"
               f" RAM; {row.method}")
    seen: set[str] = set()
    for row in rows:
        if row.core not in seen:
            seen.add(row.core)
            _print(f"  {row.core}: {row.cycles_per_instruction:g} cycles/instruction "
                   f"({row.cpi_source})")
