"""deploy_model: compile a .tflite and write it as a C library, Arduino library or CMake package."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microforge.atomic import atomic_dir
from microforge.deploy.labels import load_labels
from microforge.deploy.preprocessing import preprocessing_beside
from microforge.deploy.render import DeployContext, build_context
from microforge.errors import BoardFitError, ConfigError, ModelError
from microforge.ota.deploy import OtaOptions
from microforge.targets.boards import Board, load_board

FORMATS = ("c", "arduino", "cmake")
MANIFEST = "microforge_deploy.json"


@dataclass
class DeployResult:
    out_dir: Path
    fmt: str
    board: Board
    artifact: Path  # the folder (c, cmake) or the .zip (arduino)
    files: list[str] = field(default_factory=list)  # relative to out_dir
    arena_bytes: int = 0
    io_bytes: int = 0
    weight_bytes: int = 0
    labels_file: Path | None = None  # labels.json used, None: "class N"
    zip_files: int = 0  # arduino: the number of files in the .zip
    preprocessing_file: Path | None = None  # model: the dsp.json beside it, described
    project: str = ""  # deploy_project: the project's microforge.toml
    library_flash_bytes: int = 0  # deploy_project: the library as measured (-Os, this core)
    library_ram_bytes: int = 0
    size_target: str = ""  # what the library's sizes were measured for
    detector: bool = False  # a detector project: the frame library (camera frames in)


def deploy_model(model_path: str | Path, board: Board | str, fmt: str, out_dir: str | Path,
                 name: str = "model", ota: OtaOptions | None = None,
                 weights: str = "baked") -> DeployResult:
    """Compile `model_path` and write it to `out_dir` (replaced as a whole, atomically) in the
    format `fmt` ("c", "arduino" or "cmake") for `board`. A model that does not fit the board's
    RAM or flash raises BoardFitError; an existing `out_dir` that is not an earlier deploy
    output raises ConfigError (nothing of the user's is overwritten). `ota`: also the
    device-side update library with its key list and the model's ABI hash, and
    example/ota_main.c (docs/ota.md). weights="blob": the model reads its weights from a blob
    (the active slot's payload with --ota; docs/compiler.md)."""
    from microforge.codegen.compiler import compile_model

    check_format(fmt)
    board = load_board(board) if isinstance(board, str) else board
    model_path, out_dir = Path(model_path), Path(out_dir)
    if not model_path.is_file():
        raise ModelError(f"{model_path}: no such model file; pass a .tflite")
    check_replaceable(out_dir)
    with tempfile.TemporaryDirectory(prefix="mf_deploy_") as tmp:
        info = compile_model(model_path, Path(tmp) / name, name, weights=weights)
        example = None
        if ota is not None:
            from microforge.ota.deploy import ota_example, write_ota_sources

            write_ota_sources(Path(tmp) / name, name, model_path.read_bytes(), ota, info)
            example = ota_example(info, name, model_path.read_bytes())
        ctx = build_context(info, board, model_path.name, fmt, out_dir.name)
        _check_fit(model_path, board, ctx)
        labels, labels_file = load_labels(model_path, ctx.outputs[0].size)
        ctx.set_labels(labels, labels_file)
        ctx.preprocessing, dsp_file = preprocessing_beside(model_path)
        ctx.preprocessing_source = str(dsp_file) if dsp_file else ""
        with atomic_dir(out_dir) as target:
            artifact, zip_files = write_format(fmt, Path(tmp) / name, target, ctx)
            zip_files += write_ota_example(fmt, target, example, ctx)
            files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
            manifest = {"model": str(model_path), "board": board.id, "format": fmt,
                        "name": name, "arena_bytes": ctx.arena, "weight_bytes": ctx.weights,
                        "files": files}
            (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return DeployResult(out_dir, fmt, board, out_dir / artifact, files + [MANIFEST], ctx.arena,
                        ctx.io_bytes, ctx.weights, labels_file, zip_files, dsp_file)


def write_ota_example(fmt: str, target: Path, example: str | None, ctx: Any) -> int:
    """example/ota_main.c beside example/main.c (C and CMake layouts), or the sketch
    examples/<sketch>_ota in the Arduino zip; returns the number of files added to the zip."""
    if example is None:
        return 0
    if fmt in ("c", "cmake"):
        (target / "example").mkdir(exist_ok=True)
        (target / "example" / "ota_main.c").write_text(example, encoding="utf-8")
        return 0
    import zipfile

    sketch = f"{ctx.sketch}_ota"
    with zipfile.ZipFile(target / f"{ctx.library}.zip", "a",
                         compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{ctx.library}/examples/{sketch}/{sketch}.ino", example)
    return 1


def write_format(fmt: str, sources: Path, target: Path, ctx: Any) -> tuple[str, int]:
    """Writes the layout; returns the artifact (relative to target) and the zip's file count."""
    from microforge.deploy import formats

    if fmt == "c":
        formats.write_c_library(sources, target, ctx)
        return ".", 0
    if fmt == "cmake":
        formats.write_cmake_package(sources, target, ctx)
        return ".", 0
    return formats.write_arduino_zip(sources, target, ctx)


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def check_replaceable(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"{out_dir}: exists and is not a folder; choose another -o")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MANIFEST).is_file():
        raise ConfigError(f"{out_dir}: exists and is not a microforge deploy output; "
                          "choose an empty or new folder for -o")


def _check_fit(model_path: Path, board: Board, ctx: DeployContext) -> None:
    ram = ctx.arena + ctx.io_bytes
    if ram > board.ram_bytes:
        raise BoardFitError(f"{model_path.name}: needs {ram / 1024:.1f} KB RAM (arena + I/O), "
                            f"board {board.id} has {board.ram_kb} KB")
    if ctx.weights > board.flash_bytes:
        raise BoardFitError(f"{model_path.name}: needs {ctx.weights / 1024:.1f} KB flash for "
                            f"its constants, board {board.id} has {board.flash_kb} KB")

