"""deploy_project: a trained project's whole pipeline (the fitted DSP, the int8 model, the
post-processing, the streaming push API and `mf_<name>_classify`) as a C library, an Arduino
library or a CMake package, with an example that feeds raw sensor samples. A detector (FOMO)
project gives its frame library instead (deploy/frame_project.py: camera frames in,
centroids out)."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microforge.atomic import atomic_dir
from microforge.deploy.package import (
    MANIFEST,
    DeployResult,
    check_format,
    check_replaceable,
    write_format,
    write_ota_example,
)
from microforge.deploy.preprocessing import describe_block
from microforge.deploy.render import _ENV, board_cflags
from microforge.errors import BoardFitError, ConfigError
from microforge.targets.boards import Board, load_board
from microforge.workspace.rundir import RunDir


@dataclass
class ProjectContext:
    """What the project templates see."""

    TEMPLATES = {"readme": "project_README.md.j2", "main": "project_main.c.j2",
                 "sketch": "project_sketch.ino.j2", "cmake": "CMakeLists.txt.j2",
                 "properties": "project_library.properties.j2"}

    name: str
    project: str  # the project's name (config)
    config_path: str
    board: Board
    fmt: str
    folder: str
    window_len: int
    channels: int
    stride: int
    sample_rate: float
    n_features: int
    labels: list[str]
    mode: str
    average_windows: int
    threshold: float
    fixed_point: bool
    preprocessing: list[str]
    arena: int
    weights: int
    macs: int
    flash: int  # the library, measured (-Os) for this core
    ram: int
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)  # part: (flash, RAM)
    size_target: str = ""
    cflags: str = ""
    model_kind: str = ""  # a classical model's kind (random_forest, kmeans...); "": int8 network

    @property
    def library(self) -> str:
        return f"microforge_{self.name}"

    @property
    def sketch(self) -> str:
        return f"{self.name}_pipeline"

    @property
    def period_us(self) -> int:
        return max(1, int(round(1e6 / self.sample_rate)))

    def library_files(self, sources: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(sources.iterdir()) if p.is_file()}

    def render(self, template: str, **extra: Any) -> str:
        from microforge.c_literals import c_string

        values = {key: getattr(self, key) for key in self.__dataclass_fields__}
        values.update(NAME=self.name.upper(), library=self.library, sketch=self.sketch,
                      period_us=self.period_us, model_file=f"project {self.project}",
                      c_labels=[c_string(label) for label in self.labels],
                      comment=lambda text: str(text).replace("*/", "* /"), **extra)
        return _ENV.get_template(template).render(**values)


def deploy_project(config_path: str | Path, board: Board | str | None, fmt: str,
                   out_dir: str | Path, name: str | None = None,
                   ota: Any = None) -> DeployResult:
    """Compile the trained project's pipeline and write it to `out_dir` (replaced as a whole,
    atomically) in the format `fmt` for `board` (None: the project's [target] board). The
    fixed-point DSP is used for a board without an FPU. A library that does not fit the
    board raises BoardFitError; an untrained project is a one-line ConfigError. `ota` (an
    ota.deploy.OtaOptions): also the update library, its policy for the project's model and
    example/ota_main.c (docs/ota.md)."""
    from microforge.library.assemble import compile_trained
    from microforge.workspace.trained import load_trained_project

    check_format(fmt)
    config_path, out_dir = Path(config_path), Path(out_dir)
    trained = load_trained_project(config_path)
    board = load_board(board or trained.board) if not isinstance(board, Board) else board
    name = name or trained.name
    if trained.detector:
        if ota is not None:
            raise ConfigError(f"{config_path}: --ota is not available for a detector's frame "
                              "library yet; deploy it without --ota")
        from microforge.deploy.frame_project import deploy_frame_project

        return deploy_frame_project(config_path, trained, board, fmt, out_dir, name)
    check_replaceable(out_dir)
    with tempfile.TemporaryDirectory(prefix="mf_deploy_") as tmp:
        sources = Path(tmp) / name
        lib = compile_trained(trained, sources, name=name, fixed_point=board.fpu == "none",
                              source=f"the project {config_path} ({trained.run_dir.name})")
        example = None
        if ota is not None:
            from microforge.ota.deploy import ota_example, write_ota_sources

            if lib.model is None:
                raise ConfigError(f"{config_path}: --ota updates a neural network model; "
                                  "this project's classical model is compiled into the code "
                                  "(deploy it again to update it)")
            write_ota_sources(sources, name, trained.model_bytes, ota, lib.model.info)
            example = ota_example(lib.model.info, name, trained.model_bytes)
        ctx = _context(lib, trained, config_path, board, fmt, out_dir.name)
        _check_fit(config_path, board, ctx)
        with atomic_dir(out_dir) as target:
            artifact, zip_files = write_format(fmt, sources, target, ctx)
            zip_files += write_ota_example(fmt, target, example, ctx)
            files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
            manifest = {"project": str(config_path), "board": board.id, "format": fmt,
                        "name": name, "whole_pipeline": True, "arena_bytes": ctx.arena,
                        "weight_bytes": ctx.weights, "library_flash_bytes": ctx.flash,
                        "library_ram_bytes": ctx.ram, "size_target": ctx.size_target,
                        "files": files}
            (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return DeployResult(out_dir, fmt, board, out_dir / artifact, files + [MANIFEST], ctx.arena,
                        0, ctx.weights, RunDir(trained.run_dir).labels_json, zip_files, None,
                        str(config_path), ctx.flash, ctx.ram, ctx.size_target)


def _context(lib: Any, trained: Any, config_path: Path, board: Board, fmt: str,
             folder: str) -> ProjectContext:
    from microforge.runners.sizes import measure_library

    c = lib.constants
    info = lib.model.info if lib.model is not None else None  # None: a classical model
    cflags = board_cflags(board)
    arm = board.core.lower().startswith("cortex-m")
    sizes = measure_library(lib.out_dir, lib.part_of, cortex_m=arm,
                            arm_flags=cflags.split() if arm and cflags else None)
    target = (f"{board.core}, {cflags}" if sizes.target != "host" and cflags
              else sizes.target)
    return ProjectContext(
        name=c.name, project=trained.name, config_path=str(config_path), board=board, fmt=fmt,
        folder=folder, window_len=c.window_len, channels=c.channels, stride=c.stride,
        sample_rate=float(c.sample_rate), n_features=c.n_features, labels=list(c.labels),
        mode=c.postprocess.mode, average_windows=c.postprocess.average_windows,
        threshold=float(c.postprocess.threshold), fixed_point=board.fpu == "none",
        preprocessing=describe_block(trained.block),
        arena=int(info.arena_size) if info else 0, weights=int(info.weight_bytes) if info else 0,
        macs=int(info.macs) if info else 0, flash=sizes.total.flash_bytes,
        ram=sizes.total.ram_bytes,
        parts={k: (v.flash_bytes, v.ram_bytes) for k, v in sizes.parts.items()},
        size_target=target, cflags=cflags,
        model_kind=trained.classical.kind if trained.classical is not None else "")


def _check_fit(config_path: Path, board: Board, ctx: ProjectContext) -> None:
    if ctx.ram > board.ram_bytes:
        raise BoardFitError(f"{config_path}: the pipeline needs {ctx.ram / 1024:.1f} KB static "
                            f"RAM, board {board.id} has {board.ram_kb} KB")
    if ctx.flash > board.flash_bytes:
        raise BoardFitError(f"{config_path}: the pipeline needs {ctx.flash / 1024:.1f} KB "
                            f"flash, board {board.id} has {board.flash_kb} KB")
