"""`microforge compile MODEL.tflite -o DIR`: .tflite -> C99 library with a static memory plan.
`microforge compile microforge.toml` (or the project folder): the trained pipeline (DSP + model +
post-processing) -> one C library with the streaming API.
`microforge compile MODEL.onnx -o DIR --calibration SAMPLES`: ONNX -> checked int8 TFLite -> C
(docs/pytorch.md); DIR keeps the converted <name>.tflite."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.table import Table

from microforge.cli import app, console
from microforge.errors import ConfigError, MicroforgeError


@app.command(name="compile")
def compile_command(
    model: Path = typer.Argument(..., help="The .tflite model (int8 or float32), an .onnx "
                                 "model (with --calibration), or a project "
                                 "(microforge.toml or its folder) to compile its trained "
                                 "pipeline."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output folder for the C sources "
                                    "(needed for a .tflite; project default: "
                                    "<output_dir>/c_pipeline)."),
    name: str = typer.Option("model", "--name", "-n", help="C name: mf_<name>_invoke()."),
    plan: bool = typer.Option(False, "--plan", help="Print the full memory plan table."),
    inplace_input: bool = typer.Option(
        False, "--inplace-input",
        help="Keep the inputs in the arena (TFLM-like, may be overwritten): less RAM."),
    inplace_output: bool = typer.Option(
        False, "--inplace-output",
        help="Keep the outputs in the arena too (read them through mf_<name>_output<i>())."),
    weights: str = typer.Option(
        "baked", "--weights",
        help="baked: weights and quantization constants in the code; blob: read from "
             "DIR/<name>.blob through mf_<name>_set_blob() (model-only updates)."),
    calibration: Path | None = typer.Option(
        None, "--calibration", help="An .onnx model's representative inputs (.npy/.npz in the "
        "ONNX layout, or a microforge project): int8 calibration and the agreement check."),
    float_model: bool = typer.Option(False, "--float", help="An .onnx model in float32, "
                                     "not int8."),
    input_shape: str | None = typer.Option(None, "--input-shape", help="A fixed input shape "
                                           "for an .onnx with dynamic dimensions: 1,3,32."),
    frame: str | None = typer.Option(
        None, "--frame", help="An int8 image model: also the camera-frame library "
        "(mf_<name>_classify_frame) for frames in this format: rgb888, rgb565, rgb565be, yuyv, "
        "grayscale (docs/vision.md)."),
    frame_size: str | None = typer.Option(
        None, "--frame-size", help="With --frame: the camera's frame size WIDTHxHEIGHT "
        "(default: the model's input size)."),
    fit: str = typer.Option("crop", "--fit", help="With --frame: crop | letterbox | stretch "
                            "to the model's aspect ratio."),
    resize: str = typer.Option("bilinear", "--resize", help="With --frame: bilinear | "
                               "nearest."),
    normalize: str = typer.Option("auto", "--normalize", help="With --frame: auto (from the "
                                  "input's quantization) | raw (0..255) | unit (0..1) | "
                                  "signed (-1..1)."),
    labels: str | None = typer.Option(None, "--labels", help="With --frame: the class names, "
                                      "comma-separated (default 0, 1, ...)."),
    board: str | None = typer.Option(None, "--board", "-b", help="A .tflite for this board's "
                                     "core: the kernel variants it has (e.g. the DSP ones of "
                                     "a Cortex-M4); default: portable C for any core."),
) -> None:
    """Compile a .tflite to standalone C99 (kernels, constants, static arena), or a trained
    project to one library: DSP + model + post-processing with a streaming API."""
    from microforge.runners.host import CompiledModel, compile_and_load

    if board is not None and (model.is_dir() or model.suffix.lower() != ".tflite"
                              or frame is not None):
        raise ConfigError(f"{model}: --board is for a plain .tflite (not a project, an .onnx "
                          "or --frame); leave --board out")
    if model.is_dir() or model.suffix == ".toml":
        _compile_project(model, out)
        return
    if out is None:
        raise ConfigError(f"{model}: give an output folder with --out DIR")
    if frame is not None:
        _compile_frame_model(model, out, name, frame, frame_size, fit, resize, normalize,
                             labels)
        return
    if frame_size is not None or labels is not None:
        raise ConfigError("--frame-size and --labels are for a camera-frame library: add "
                          "--frame FORMAT")
    if model.suffix.lower() == ".onnx":
        if weights != "baked":
            raise ConfigError(f"{model}: --weights blob is for a .tflite; compile the .tflite "
                              "the ONNX import writes")
        from microforge.importers.onnx_import import import_onnx

        imported = import_onnx(model, out, name, calibration=calibration,
                               quantize="float" if float_model else "int8",
                               input_shape=_shape(input_shape), inplace_input=inplace_input,
                               inplace_output=inplace_output)
        for line in imported.import_report.lines():
            console.print(line, highlight=False, soft_wrap=True)
        compiled: CompiledModel = imported
    else:
        compiled = compile_and_load(model, out, name, inplace_input=inplace_input,
                                    inplace_output=inplace_output, weights=weights,
                                    target=board or "host")
    info = compiled.info
    ops = Table(title=f"{model.name}: {len(info.ops)} operators", show_lines=False)
    for column in ("op", "count", "MACs"):
        ops.add_column(column, justify="right" if column != "op" else "left")
    counts = Counter(op.op_type for op in info.ops)
    for op_type, count in sorted(counts.items()):
        macs = sum(op.cost.macs for op in info.ops if op.op_type == op_type)
        ops.add_row(op_type, str(count), f"{macs:,}")
    console.print(ops)
    callers = ([] if info.inputs_in_arena else info.inputs) + (
        [] if info.outputs_in_arena else info.outputs)
    io_bytes = sum(d.size * _itemsize(d.dtype) for d in callers)
    console.print(f"arena (RAM): {info.arena_size:,} B  (+ {io_bytes:,} B of caller's input/"
                  f"output buffers)")
    console.print(f"memory plan lower bound: {info.plan.lower_bound:,} B")
    console.print(f"flash: constants {info.weight_bytes:,} B; {len(info.kernels)} kernels: "
                  f"{', '.join(info.kernels)}")
    try:
        console.print(f"flash total (code + constants, -Os): {compiled.flash_estimate():,} B")
    except MicroforgeError as exc:
        console.print(f"flash total: not measured ({exc})")
    console.print(f"MACs per inference: {info.macs:,}")
    variants = sorted({op.variant for op in info.ops if op.variant})
    if board is not None:
        console.print(f"core: {info.features.describe()}; kernel variants: "
                      f"{', '.join(variants) or 'none (portable kernels)'}")
    if plan:
        console.print(info.plan.table(), highlight=False)
    if info.blob is not None and info.abi_hash is not None:
        console.print(f"model blob: {len(info.blob):,} B (weights and quantization constants; "
                      f"the code above holds none of them); GRAPH_ABI_HASH "
                      f"{info.abi_hash.hex()}")
        console.print(f"wrote {out}/{name}.c, {name}.h, {name}.blob and the kernels")
        return
    console.print(f"wrote {out}/{name}.c, {name}.h and the kernels")


def _compile_project(config: Path, out: Path | None) -> None:
    from microforge.config import load_config
    from microforge.library.assemble import compile_project
    from microforge.monitor.build import REFERENCE_FILE, compile_monitored
    from microforge.workspace.trained import project_config_path

    loaded = load_config(project_config_path(config) or config)
    if loaded.model.is_detector:
        _compile_detector(loaded, out)
        return
    if loaded.monitor.enabled:
        library, _ = compile_monitored(loaded, out)
        console.print(f"monitor: mf_{library.name}_monitor_* (docs/monitoring.md), reference "
                      f"{library.out_dir}/{REFERENCE_FILE}")
    else:
        library = compile_project(loaded, out)
    constants = library.constants
    if library.model is not None:
        info = library.model.info
        model = f"{len(info.ops)} operators ({info.macs:,} MACs)"
        if constants.input_quant.bits == 16:
            model = f"int16 -> {model}, 16x8 -> int16 scores"
    else:
        model = f"{constants.classical_call} (classical model)"
    console.print(f"pipeline {library.name}: windows of {constants.window_len} x "
                  f"{constants.channels} every {constants.stride} samples at "
                  f"{constants.sample_rate:g} Hz -> {constants.n_features} features -> "
                  f"{model} -> {constants.postprocess.mode} over {len(constants.labels)} "
                  "classes")
    try:
        sizes = library.sizes()
    except MicroforgeError as exc:
        console.print(f"flash/RAM: not measured ({exc})")
    else:
        table = Table(title=f"flash / RAM ({sizes.target}, -Os; RAM = static data, no stack)")
        for column in ("part", "flash (B)", "RAM (B)"):
            table.add_column(column, justify="left" if column == "part" else "right")
        network = ("network (arena included)" if library.model is not None
                   else "classical model")
        for part, label in (("dsp", "DSP"), ("network", network),
                            ("pipeline", "pipeline (window buffer, post-processing)")):
            size = sizes.parts.get(part)
            if size is not None:
                table.add_row(label, f"{size.flash_bytes:,}", f"{size.ram_bytes:,}")
        total = sizes.total
        table.add_row("total", f"{total.flash_bytes:,}", f"{total.ram_bytes:,}")
        console.print(table)
    prefix = f"mf_{library.name}"
    console.print(f"API: {prefix}_pipeline_init(callback, user); {prefix}_pipeline_push(int16, n)"
                  f" / {prefix}_pipeline_push_f32(float, n)")
    console.print(f"wrote {library.out_dir}/{library.name}_pipeline.h and the library sources")


def _compile_detector(config, out: Path | None) -> None:
    """A detection project: the frame library (camera frame -> centroids)."""
    from microforge.library.frame_assemble import compile_trained_frames
    from microforge.workspace.rundir import RunDir
    from microforge.workspace.trained import load_trained

    trained = load_trained(config)
    library = compile_trained_frames(trained, out or RunDir(trained.run_dir).c_pipeline)
    _print_frame_library(library)


def _compile_frame_model(model: Path, out: Path, name: str, frame: str,
                         frame_size: str | None, fit: str, resize: str, normalize: str,
                         labels: str | None) -> None:
    """An int8 image model trained elsewhere -> the frame library (library/frame_model.py)."""
    from microforge.library.frame_model import compile_frame_model, input_geometry

    if model.suffix.lower() != ".tflite" or not model.is_file():
        raise ConfigError(f"{model}: --frame needs an int8 .tflite file")
    data = model.read_bytes()
    if frame_size is None:
        height, width = input_geometry(data)[:2]
    else:
        width, height = _size(frame_size)
    names = [v.strip() for v in labels.split(",")] if labels is not None else None
    library, block = compile_frame_model(data, out, frame_format=frame, frame_size=(width, height),
                                         name=name, labels=names, fit=fit, resize=resize,
                                         normalize=normalize)
    p = block.params
    console.print(f"image block: {width}x{height} {frame} frames -> {p.fit}, {p.resize} -> "
                  f"{p.width}x{p.height} {p.color}, normalize {p.normalize}", highlight=False)
    _print_frame_library(library)


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise ConfigError(f"--frame-size {text!r}: give WIDTHxHEIGHT, e.g. 160x120") from None
    return width, height


def _print_frame_library(library) -> None:
    c = library.constants
    prefix = f"mf_{library.name}"
    what = (f"a {c.grid[0]}x{c.grid[1]} heatmap of {len(c.labels)} classes -> centroids "
            f"(threshold {c.threshold_q} in int8)" if c.detector
            else f"{len(c.labels)} class scores -> label")
    console.print(f"frame library {library.name}: camera frame -> image block -> "
                  f"{c.n_inputs:,} int8 inputs -> model -> {what}", highlight=False)
    try:
        sizes = library.sizes()
    except MicroforgeError as exc:
        console.print(f"flash/RAM: not measured ({exc})")
    else:
        table = Table(title=f"flash / RAM ({sizes.target}, -Os; RAM = static data, no stack)")
        for column in ("part", "flash (B)", "RAM (B)"):
            table.add_column(column, justify="left" if column == "part" else "right")
        for part, label in (("dsp", "image block"), ("network", "model (arena included)"),
                            ("pipeline", "frame glue, input table"
                             + (", FOMO post-processing" if c.detector else ""))):
            size = sizes.parts.get(part)
            if size is not None:
                table.add_row(label, f"{size.flash_bytes:,}", f"{size.ram_bytes:,}")
        table.add_row("total", f"{sizes.total.flash_bytes:,}", f"{sizes.total.ram_bytes:,}")
        console.print(table)
    call = (f"{prefix}_detect_frame(frame, objects, max): objects[i].frame_x/frame_y in "
            "the camera frame's pixels, x2/y2 twice the model input's" if c.detector
            else f"{prefix}_classify_frame(frame, &label, &score)")
    console.print(f"API: {call} ({library.name}_frame.h)", highlight=False)
    console.print(f"wrote {library.out_dir}/{library.name}_frame.h and the library sources")


def _shape(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        return tuple(int(v) for v in text.replace("x", ",").split(","))
    except ValueError as exc:
        raise ConfigError(f"--input-shape {text!r}: give integers like 1,3,32") from exc


def _itemsize(dtype: str) -> int:
    import numpy as np

    from microforge.ir.tensor import DTYPE_NUMPY

    return int(np.dtype(DTYPE_NUMPY[dtype]).itemsize)


@app.command(name="ops")
def ops_command(
    missing: bool = typer.Option(False, "--missing", help="Only the TFLM ops not implemented."),
) -> None:
    """The operators the compiler implements, against those TFLM's op resolver offers."""
    from microforge.ops.coverage import coverage_rows, summary

    rows = coverage_rows()
    table = Table()
    table.add_column("op", no_wrap=True)
    for heading in ("TFLM", "microforge", "dtypes", "memory hints", "fused into", "tests"):
        table.add_column(heading)
    for r in rows:
        if missing and (r.implemented or not r.in_tflm):
            continue
        table.add_row(r.op, "yes" if r.in_tflm else "",
                      "yes" if r.implemented else "[red]no[/red]", ", ".join(r.dtypes),
                      "yes" if r.plans_memory else "", ", ".join(r.fused_into),
                      "" if r.tests is None or not r.implemented else str(r.tests))
    console.print(table)
    console.print(summary(rows), highlight=False)
