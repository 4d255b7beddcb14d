"""deploy of a detector (FOMO) project: its frame library (camera frame -> image block ->
int8 model -> centroids in the camera frame's pixels) as a C library, an Arduino library or a
CMake package, with an example that takes camera frames (stdin, or a camera stub on Arduino)
and prints the objects. Called by deploy.project.deploy_project for a detector."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microforge.atomic import atomic_dir
from microforge.deploy.package import MANIFEST, DeployResult, check_replaceable, write_format
from microforge.deploy.render import _ENV, board_cflags
from microforge.errors import BoardFitError, ConfigError
from microforge.targets.boards import Board
from microforge.workspace.rundir import RunDir
from microforge.workspace.trained import TrainedPipeline

MAX_OBJECTS = 32  # the examples' object buffer


@dataclass
class FrameContext:
    """What the frame templates see."""

    TEMPLATES = {"readme": "frame_README.md.j2", "main": "frame_main.c.j2",
                 "sketch": "frame_sketch.ino.j2", "cmake": "CMakeLists.txt.j2",
                 "properties": "frame_library.properties.j2"}

    name: str
    project: str
    config_path: str
    board: Board
    fmt: str
    folder: str
    labels: list[str]
    frame_format: str
    frame_width: int
    frame_height: int
    frame_bytes: int
    width: int  # the model's input
    height: int
    color: str
    fit: str
    resize: str
    normalize: str
    rows: int  # the heatmap
    cols: int
    threshold: float
    threshold_q: int
    x_axis: tuple[int, int, int, int]
    y_axis: tuple[int, int, int, int]
    arena: int
    flash: int  # the library, measured (-Os) for this core
    ram: int
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)
    size_target: str = ""
    max_objects: int = MAX_OBJECTS

    @property
    def library(self) -> str:
        return f"microforge_{self.name}"

    @property
    def sketch(self) -> str:
        return f"{self.name}_detect"

    def library_files(self, sources: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(sources.iterdir()) if p.is_file()}

    def render(self, template: str, **extra: Any) -> str:
        from microforge.c_literals import c_string

        values = {key: getattr(self, key) for key in self.__dataclass_fields__}
        values.update(NAME=self.name.upper(), library=self.library, sketch=self.sketch,
                      model_file=f"project {self.project}", DSP=f"MF_{self.name.upper()}_DSP",
                      c_labels=[c_string(label) for label in self.labels],
                      comment=lambda text: str(text).replace("*/", "* /"), **extra)
        return _ENV.get_template(template).render(**values)


def deploy_frame_project(config_path: Path, trained: TrainedPipeline, board: Board, fmt: str,
                         out_dir: Path, name: str) -> DeployResult:
    """The detector's frame library in `out_dir` (replaced as a whole, atomically)."""
    from microforge.library.frame_assemble import compile_trained_frames

    check_replaceable(out_dir)
    with tempfile.TemporaryDirectory(prefix="mf_deploy_frames_") as tmp:
        sources = Path(tmp) / name
        lib = compile_trained_frames(trained, sources, name=name)
        ctx = _context(lib, trained, config_path, board, fmt, out_dir.name)
        _check_fit(config_path, board, ctx)
        with atomic_dir(out_dir) as target:
            artifact, zip_files = write_format(fmt, sources, target, ctx)
            files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
            manifest = {"project": str(config_path), "board": board.id, "format": fmt,
                        "name": name, "whole_pipeline": True, "detector": True,
                        "frame": {"format": ctx.frame_format, "width": ctx.frame_width,
                                  "height": ctx.frame_height, "bytes": ctx.frame_bytes},
                        "centroids": "camera-frame pixels (frame_x, frame_y)",
                        "arena_bytes": ctx.arena, "library_flash_bytes": ctx.flash,
                        "library_ram_bytes": ctx.ram, "size_target": ctx.size_target,
                        "files": files}
            (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return DeployResult(out_dir, fmt, board, out_dir / artifact, files + [MANIFEST], ctx.arena,
                        0, 0, RunDir(trained.run_dir).labels_json, zip_files, None,
                        str(config_path), ctx.flash, ctx.ram, ctx.size_target, detector=True)


def _context(lib: Any, trained: TrainedPipeline, config_path: Path, board: Board, fmt: str,
             folder: str) -> FrameContext:
    from microforge.dsp.image import ImageBlock
    from microforge.dsp.image_ops import frame_bytes
    from microforge.runners.sizes import measure_library

    block = trained.block
    if not isinstance(block, ImageBlock):
        raise ConfigError(f"{config_path}: a detector needs [dsp] block = \"image\"")
    c = lib.constants
    cflags = board_cflags(board)
    arm = board.core.lower().startswith("cortex-m")
    sizes = measure_library(lib.out_dir, lib.part_of, cortex_m=arm,
                            arm_flags=cflags.split() if arm and cflags else None)
    target = (f"{board.core}, {cflags}" if sizes.target != "host" and cflags
              else sizes.target)
    h, w, _ = block.frame_shape()
    p = block.params
    return FrameContext(
        name=c.name, project=trained.name, config_path=str(config_path), board=board, fmt=fmt,
        folder=folder, labels=list(c.labels), frame_format=p.frame_format, frame_width=w,
        frame_height=h, frame_bytes=frame_bytes(p.frame_format, w, h), width=p.width,
        height=p.height, color=p.color, fit=p.fit, resize=p.resize, normalize=p.normalize,
        rows=c.grid[0], cols=c.grid[1], threshold=float(trained.threshold),
        threshold_q=c.threshold_q, x_axis=c.x_axis, y_axis=c.y_axis,
        arena=int(lib.arena_bytes),
        flash=sizes.total.flash_bytes, ram=sizes.total.ram_bytes,
        parts={k: (v.flash_bytes, v.ram_bytes) for k, v in sizes.parts.items()},
        size_target=target)


def _check_fit(config_path: Path, board: Board, ctx: FrameContext) -> None:
    if ctx.ram > board.ram_bytes:
        raise BoardFitError(f"{config_path}: the frame library needs {ctx.ram / 1024:.1f} KB "
                            f"static RAM, board {board.id} has {board.ram_kb} KB")
    if ctx.flash > board.flash_bytes:
        raise BoardFitError(f"{config_path}: the frame library needs {ctx.flash / 1024:.1f} "
                            f"KB flash, board {board.id} has {board.flash_kb} KB")
