"""`microforge verify | profile | deploy`: the model on microcontrollers (emulated cores)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import typer
from rich.table import Table

from microforge.cli import app, console
from microforge.cli.onnx_input import CALIBRATION, FLOAT, model_file
from microforge.errors import ConfigError, MicroforgeError


class VerificationFailed(MicroforgeError):
    """The model's outputs on the emulated MCU differ from the reference (exit code 1)."""

    exit_code = 1


@app.command(name="verify")
def verify_command(
    model: Path | None = typer.Argument(None, help="The .tflite (or .onnx, with --calibration) "
                                                   "model, or a trained project (its "
                                                   "microforge.toml or folder)."),
    board: str = typer.Option(..., "--board", "-b", help="Board id (see docs/boards.md)."),
    inputs: int | None = typer.Option(
        None, "--inputs", "-n",
        help="Number of input sets (model: default 20 random ones, or every window of "
             "--input-file); for a project, the number of test windows (default: every test "
             "window)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the random inputs."),
    input_file: Path | None = typer.Option(
        None, "--input-file",
        help="Real inputs instead of random ones: a .npy or raw float32 .bin, one window after"
             " the other (one-input models; quantized for int8 inputs)."),
    stack_kb: float = typer.Option(
        8.0, "--stack-kb", help="Stack reserved at link time, in KB (counted in the board's "
                                "RAM; the measured high-water mark is printed)."),
    labels: bool = typer.Option(
        False, "--labels", help="A project: also the on-device accuracy per class against "
                                "the recordings' labels, beside the Python pipeline's."),
    frames: bool = typer.Option(
        False, "--frames", help="An image project: its camera-frame library "
        "(mf_<name>_classify_frame, frames in [dsp.params] frame_format) on the host and the "
        "board instead of the window pipeline (a detector project always does this)."),
    bundle: Path | None = typer.Option(
        None, "--bundle", help="An update bundle: verify it with the device's C verifier on "
                               "the emulated core, then run its canaries on the model compiled "
                               "from it (docs/ota.md); needs --pubkey. A model-blob bundle: "
                               "MODEL is the firmware's model (compiled --weights blob), the "
                               "blob runs from the verified slot."),
    pubkey: list[Path] = typer.Option([], "--pubkey", help="A public key of the device's key "
                                                           "list (repeat for rotation)."),
    min_counter: int = typer.Option(0, "--min-counter", help="The device's stored rollback "
                                                             "counter (--bundle)."),
    calibration: Path | None = CALIBRATION,
    float_model: bool = FLOAT,
    frame: str | None = typer.Option(
        None, "--frame", help="An int8 image .tflite: verify its camera-frame library "
        "(compile --frame) on --images, frames in this format (rgb888, rgb565, rgb565be, yuyv,"
        " grayscale)."),
    frame_size: str | None = typer.Option(None, "--frame-size", help="With --frame: the "
                                          "camera's WIDTHxHEIGHT (default: the model input)."),
    images: Path | None = typer.Option(None, "--images", help="With --frame: a folder of "
                                       "images (or one image), centre-cropped and resized to "
                                       "the frame size, encoded as the camera would."),
    fit: str = typer.Option("crop", "--fit", help="With --frame: crop | letterbox | stretch."),
    resize: str = typer.Option("bilinear", "--resize", help="With --frame: bilinear | "
                               "nearest."),
    normalize: str = typer.Option("auto", "--normalize", help="With --frame: auto | raw | "
                                  "unit | signed."),
) -> None:
    """Run the compiled model (or a project's whole C pipeline) on the board's emulated core
    and compare it with TFLM (or the Python pipeline); or run an update bundle's flow."""
    from microforge.measure.verify import verify_on_mcu
    from microforge.workspace.trained import project_config_path

    if bundle is not None:
        from microforge.cli.ota import verify_bundle_on_board

        verify_bundle_on_board(bundle, board, pubkey, min_counter, model)
        return
    if model is None:
        raise ConfigError("verify: name a .tflite model or a project (or --bundle B)")

    config_path = project_config_path(model)
    if config_path is not None:
        if input_file is not None:
            raise ConfigError("--input-file is for a .tflite; a project streams its own test "
                              "recordings (--inputs N bounds them)")
        _verify_project(config_path, board, inputs, labels, frames)
        return
    if frames:
        raise ConfigError("--frames is for an image project; for a .tflite give --frame FORMAT "
                          "--images FOLDER")
    if labels:
        raise ConfigError("--labels is for a project (its recordings have labels); a .tflite "
                          "is compared with TFLM on its inputs")
    if frame is not None or images is not None:
        _verify_frame_model(model, board, frame, frame_size, images, fit, resize, normalize,
                            inputs)
        return
    if input_file is None and inputs is None:
        inputs = 20
    if input_file is not None and not input_file.is_file():
        raise ConfigError(f"{input_file}: no such input file")
    with ExitStack() as stack:
        report = verify_on_mcu(model_file(model, calibration, float_model, stack), board,
                               n_inputs=inputs, seed=seed, input_file=input_file,
                               stack_bytes=int(round(stack_kb * 1024)))
    b, core = report.board, report.core
    source = (f"{report.n_inputs} inputs from {input_file.name}" if input_file
              else f"{report.n_inputs} random inputs (seed {seed})")
    console.print(f"[bold]{model.name}[/] on {b.name} ({core.name}, QEMU {core.machine})",
                  highlight=False, soft_wrap=True)
    if report.passed:
        console.print(f"  [green]OK[/]: {source}: outputs match {report.reference}; "
                      f"max |diff| {report.max_abs_diff:g}", highlight=False, soft_wrap=True)
    lib = f"model library {report.library_flash_bytes:,} B"
    lines = [
        f"flash (text + rodata + data): {report.flash_bytes:,} B of {b.flash_kb:,} KB ({lib})",
        f"static RAM (data + bss, arena included): {report.ram_bytes:,} B of {b.ram_kb:,} KB "
        f"(model library {report.library_ram_bytes:,} B)",
        f"stack high-water mark: {report.stack_bytes:,} B",
        f"instructions per inference: {_spread(report.instructions)}",
    ]
    if report.instructions_per_mac is not None:
        lines.append(f"MACs per inference: {report.macs:,} ({report.instructions_per_mac:.2f} "
                     "instructions per MAC)")
    lines.append(f"estimated latency at {b.clock_mhz:g} MHz: {report.latency_ms:.2f} ms, "
                 f"assuming {core.cycles_per_instruction:g} cycles per instruction "
                 f"({core.cpi_source})")
    for line in lines:
        console.print(f"  {line}", highlight=False, soft_wrap=True)
    if not report.passed:
        for line in report.mismatches[:20]:
            console.print(f"  differs: {line}", highlight=False, soft_wrap=True)
        raise VerificationFailed(f"{model.name} on {b.id}: {len(report.mismatches)} output(s) "
                                 f"of {report.n_inputs} input sets differ from "
                                 f"{report.reference}")


def _verify_project(config_path: Path, board: str, max_windows: int | None,
                    labels: bool = False, frames: bool = False) -> None:
    from microforge.cli.mcu_project import print_label_accuracy, print_project_verify
    from microforge.config import load_config
    from microforge.measure.project_verify import verify_project_on_mcu

    config = load_config(config_path)
    if config.model.is_detector or frames:
        if config.dsp.block != "image":
            raise ConfigError(f"{config_path}: --frames is for [dsp] block = \"image\"")
        if labels:
            raise ConfigError("--labels is for the window pipeline; the frame library prints "
                              "its own accuracy (classifier) or centroid F1 (detector)")
        _verify_frames(config_path, board, max_windows)
        return
    with console.status("streaming the test windows through the C pipeline in QEMU..."):
        report = verify_project_on_mcu(config_path, board, max_windows=max_windows)
    print_project_verify(report)
    if labels:
        print_label_accuracy(report)
    if not report.passed:
        raise VerificationFailed(
            f"{config_path}: C pipeline on {report.board.id} agrees with the Python pipeline on "
            f"{100 * report.agreement:.2f} % of {report.n_windows} windows "
            f"({len(report.mismatches)} differ)")


def _verify_frames(config_path: Path, board: str, max_images: int | None) -> None:
    """An image project's frame library on the host and the board == the Python twin."""
    from microforge.cli.mcu_project import print_frame_verify
    from microforge.measure.frame_verify import verify_frames_on_mcu

    with console.status("the test images as camera frames through the C library (host, QEMU)"):
        report = verify_frames_on_mcu(config_path, board, max_images=max_images)
    print_frame_verify(report)
    if not report.passed:
        raise VerificationFailed(
            f"{config_path}: the frame library differs from the Python twin on "
            f"{report.n_images - report.host_agreeing} image(s) on the host and "
            f"{report.n_images - report.mcu_agreeing} on {report.board.id} "
            f"(of {report.n_images})")


def _verify_frame_model(model: Path, board: str, frame: str | None, frame_size: str | None,
                        images: Path | None, fit: str, resize: str, normalize: str,
                        max_images: int | None) -> None:
    """A .tflite's camera-frame library on the host and the board == the Python twin."""
    from microforge.cli.compile import _size
    from microforge.cli.mcu_project import print_frame_verify
    from microforge.library.frame_model import input_geometry
    from microforge.measure.frame_verify import verify_frame_model_on_mcu

    if frame is None or images is None:
        raise ConfigError("verify MODEL --frame FORMAT --images FOLDER: give both (the camera's "
                          "frame format and the images to stream)")
    if model.suffix.lower() != ".tflite" or not model.is_file():
        raise ConfigError(f"{model}: --frame needs an int8 .tflite file")
    if frame_size is None:
        height, width = input_geometry(model.read_bytes())[:2]
    else:
        width, height = _size(frame_size)
    with console.status("the images as camera frames through the C library (host, QEMU)"):
        report = verify_frame_model_on_mcu(model, board, images, frame_format=frame,
                                           frame_size=(width, height), fit=fit, resize=resize,
                                           normalize=normalize, max_images=max_images)
    print_frame_verify(report)
    if not report.passed:
        raise VerificationFailed(
            f"{model}: the frame library differs from the Python twin on "
            f"{report.n_images - report.host_agreeing} image(s) on the host and "
            f"{report.n_images - report.mcu_agreeing} on {report.board.id} "
            f"(of {report.n_images})")


def _spread(values: list[int]) -> str:
    if not values:
        return "not measured"
    low, high = min(values), max(values)
    mean = sum(values) / len(values)
    if low == high:
        return f"{low:,}"
    return f"{mean:,.0f} (min {low:,}, max {high:,})"


@app.command(name="profile")
def profile_command(
    model: Path = typer.Argument(..., help="The .tflite (or .onnx, with --calibration) "
                                           "model, or a trained project (its microforge.toml "
                                           "or folder)."),
    board: str | None = typer.Option(None, "--board", "-b", help="Only this board."),
    json_file: Path | None = typer.Option(None, "--json", help="Also write the rows as JSON."),
    seed: int = typer.Option(0, "--seed", help="Seed of the random input measured."),
    calibration: Path | None = CALIBRATION,
    float_model: bool = FLOAT,
) -> None:
    """Fit, MACs, instructions and estimated latency of the model on every board (for a
    project: its C pipeline, DSP and network apart)."""
    from microforge.atomic import atomic_write_json
    from microforge.measure.profile import profile_model
    from microforge.targets.boards import load_board
    from microforge.workspace.trained import project_config_path

    boards = [load_board(board)] if board else None
    config_path = project_config_path(model)
    if config_path is not None:
        _profile_project(config_path, boards, json_file)
        return
    with ExitStack() as stack:
        source = model_file(model, calibration, float_model, stack)
        with console.status("building and running on the emulated cores..."):
            rows = profile_model(source, boards, seed=seed)
    console.print(profile_table(model.name, rows))
    _print_profile_notes(rows)
    if json_file is not None:
        atomic_write_json(json_file, {"model": str(model), "rows": [r.to_dict() for r in rows]})
        console.print(f"wrote {json_file}", highlight=False, soft_wrap=True)


def profile_table(title: str, rows) -> Table:
    """The model profile rows (measure.profile.ProfileRow) as a table whose board ids are
    never cut (they fold at most; the fit message wraps)."""
    from rich import box

    table = Table(title=f"{title} on {len(rows)} board(s)", box=box.SIMPLE_HEAD,
                  padding=(0, 0, 0, 1), pad_edge=False)
    width = max([len(r.board_id) for r in rows] + [5])
    for column in ("board", "core", "MHz", "fits", "flash KB", "RAM KB", "MACs",
                   "instructions", "instr/MAC", "est. ms"):
        if column == "board":
            table.add_column(column, justify="left", no_wrap=True, min_width=width)
        elif column in ("core", "fits"):
            table.add_column(column, justify="left", overflow="fold")
        else:
            table.add_column(column, justify="right")
    for row in rows:
        fits = "[green]yes[/]" if row.fits else f"[red]no[/]: {row.message}"
        star = "*" if row.estimate else ""
        table.add_row(
            row.board_id, row.core, f"{row.clock_mhz:g}", fits,
            f"{row.flash_bytes / 1024:,.1f} / {row.board_flash_bytes // 1024:,}",
            f"{row.ram_bytes / 1024:,.1f} / {row.board_ram_bytes // 1024:,}", f"{row.macs:,}",
            f"{row.instructions:,}{star}" if row.instructions is not None else "-",
            f"{row.instructions_per_mac:.2f}" if row.instructions_per_mac else "-",
            f"{row.latency_ms:,.1f}{star}" if row.latency_ms is not None else "-")
    return table


def _print_profile_notes(rows) -> None:
    console.print("flash = text + rodata + data of a minimal firmware; RAM = data + bss (arena "
                  "included) + stack high-water. est. ms = instructions x cycles per instruction"
                  " (from the measured instruction mix) / clock:", highlight=False,
                  soft_wrap=True)
    seen: set[str] = set()
    for row in rows:
        if row.core not in seen:
            seen.add(row.core)
            console.print(f"  {row.core}: {row.cycles_per_instruction:.2f} cycles/instruction "
                          f"({row.cpi_source})", highlight=False, soft_wrap=True)
    for row in rows:
        if row.estimate or row.instructions is None or "whole memory" in row.method:
            console.print(f"  * {row.board_id}: {row.method}", highlight=False, soft_wrap=True)


def _profile_project(config_path: Path, boards, json_file: Path | None) -> None:
    from microforge.atomic import atomic_write_json
    from microforge.cli.mcu_project import print_project_profile
    from microforge.config import load_config
    from microforge.measure.project_profile import profile_project

    frames = load_config(config_path).model.is_detector
    if frames:
        from microforge.measure.frame_profile import profile_frame_project

        with console.status("building the frame library and running it on the emulated "
                            "cores..."):
            rows = profile_frame_project(config_path, boards)
    else:
        with console.status("building the pipeline and running it on the emulated cores..."):
            rows = profile_project(config_path, boards)
    print_project_profile(config_path, rows, frames=frames)
    if json_file is not None:
        atomic_write_json(json_file, {"project": str(config_path),
                                      "unit": "camera frame" if frames else "window",
                                      "rows": [r.to_dict() for r in rows]})
        console.print(f"wrote {json_file}", highlight=False, soft_wrap=True)


@app.command(name="deploy")
def deploy_command(
    model: Path = typer.Argument(..., help="A trained project (its microforge.toml or folder): "
                                           "the whole pipeline; or a bare .tflite (or .onnx, "
                                           "with --calibration) model "
                                           "(labels.json beside it names the classes)."),
    board: str | None = typer.Option(None, "--board", "-b",
                                     help="Board id (see docs/boards.md); a project's default "
                                          "is its [target] board."),
    fmt: str = typer.Option("c", "--format", "-f", help="c | arduino | cmake"),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder (replaced as a whole)."),
    name: str | None = typer.Option(None, "--name", "-n",
                                    help="C name: mf_<name>_...() (default: the project's "
                                         "name, or model for a .tflite)."),
    ota: bool = typer.Option(False, "--ota", help="Also the signed-update library "
                                                  "(verifier, A/B slots, crypto, key list; "
                                                  "docs/ota.md); needs --pubkey."),
    pubkey: list[Path] = typer.Option([], "--pubkey", help="--ota: a public key of the "
                                                           "device's key list (repeat)."),
    vendor: str = typer.Option("microforge.dev", "--vendor", help="--ota: vendor UUID or name."),
    model_class: str = typer.Option("model", "--class", help="--ota: class UUID or name."),
    weights: str = typer.Option("baked", "--weights",
                                help="A .tflite: baked, or blob (weights read from a model "
                                     "blob: with --ota, the active slot's; docs/ota.md)."),
    calibration: Path | None = CALIBRATION,
    float_model: bool = FLOAT,
) -> None:
    """Package a project's whole pipeline (DSP, model, post-processing) or a bare model as a C
    library, an Arduino library (.zip) or a CMake package."""
    from microforge.deploy import deploy_model, deploy_project
    from microforge.workspace.trained import project_config_path

    config_path = project_config_path(model)
    ota_options = None
    if ota:
        from microforge.ota.bundle import class_uuid, vendor_uuid
        from microforge.ota.deploy import OtaOptions

        if not pubkey:
            raise ConfigError("--ota needs --pubkey signing.pub (repeat it for the rotation "
                              "key)")
        ota_options = OtaOptions(pubkey, vendor_uuid(vendor), class_uuid(vendor, model_class))
    elif pubkey:
        raise ConfigError("--pubkey is for --ota")
    if config_path is not None:
        if weights != "baked":
            raise ConfigError("--weights blob is for a .tflite (a project's pipeline bakes "
                              "its model's weights)")
        with console.status("compiling the pipeline..."):
            result = deploy_project(config_path, board, fmt, out, name, ota=ota_options)
        what = ("the whole pipeline: image block, FOMO model, centroids" if result.detector
                else "the whole pipeline: DSP, model, post-processing")
    else:
        if board is None:
            raise ConfigError("--board is needed for a .tflite (a project names its own in "
                              "[target] board)")
        with ExitStack() as stack:
            result = deploy_model(model_file(model, calibration, float_model, stack), board,
                                  fmt, out, name or "model", ota=ota_options,
                                  weights=weights)
        what = "the network only: its input must be preprocessed (see README.md)"
    count = (f"{result.zip_files} files in the zip" if fmt == "arduino"
             else f"{len(result.files)} files")
    _print(f"wrote {result.artifact if fmt == 'arduino' else result.out_dir} ({fmt}, {count}) "
           f"for {result.board.name} ({result.board.id}): {what}")
    if config_path is not None:
        arena = (f" (arena {result.arena_bytes:,} B included)" if result.arena_bytes
                 else "")  # a classical model has no arena
        io = ("camera frames in, centroids (camera-frame pixels) out" if result.detector
              else "raw samples in, decisions out")
        _print(f"  library {result.library_flash_bytes:,} B flash, {result.library_ram_bytes:,}"
               f" B static RAM{arena}, measured for {result.size_target}; {io}")
    else:
        labels = (f"labels from {result.labels_file}" if result.labels_file
                  else "no labels.json beside the model: labels are 'class N'")
        _print(f"  arena {result.arena_bytes:,} B + I/O buffers {result.io_bytes:,} B of RAM; "
               f"constants {result.weight_bytes:,} B of flash; {labels}")
        if result.preprocessing_file is not None:
            _print(f"  the DSP of {result.preprocessing_file} is stated in README.md (not "
                   "included; `microforge deploy PROJECT` includes it)")
    if ota_options is not None:
        _print(f"  + the update library (mf_ota.h, A/B slots, Monocypher and SHA-512 sources "
               f"with their licences, mf_{name or 'model'}_ota_policy.c: "
               f"{len(ota_options.pubkeys)} key(s), the model's GRAPH_ABI_HASH; "
               f"example/ota_main.c: the slot flow); docs/ota.md")
    _print(f"  see {Path(result.out_dir) / 'README.md'}")


def _print(line: str) -> None:
    console.print(line, highlight=False, soft_wrap=True)
