"""The three deploy layouts. Each writes into `target`, an empty temp folder that deploy_model
renames into place (see microforge.atomic)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from microforge.deploy.render import DeployContext


def _library_files(sources: Path, ctx: DeployContext) -> dict[str, bytes]:
    """The compiled sources and kernels plus <name>_labels.{h,c}, by file name."""
    files = {p.name: p.read_bytes() for p in sorted(sources.iterdir()) if p.is_file()}
    files[f"{ctx.name}_labels.h"] = ctx.render("labels.h.j2").encode("utf-8")
    files[f"{ctx.name}_labels.c"] = ctx.render("labels.c.j2").encode("utf-8")
    return files


def _write(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for filename, data in files.items():
        (folder / filename).write_bytes(data)


def write_c_library(sources: Path, target: Path, ctx: DeployContext) -> None:
    """A flat folder: model, kernels, labels, README.md, example/main.c."""
    _write(target, _library_files(sources, ctx))
    _write(target / "example", {"main.c": ctx.render("main.c.j2").encode("utf-8")})
    (target / "README.md").write_text(ctx.render("README.md.j2"), encoding="utf-8")


def write_cmake_package(sources: Path, target: Path, ctx: DeployContext) -> None:
    """CMakeLists.txt (static library `mf_<name>`, alias `microforge::<name>`, + `<name>_example`), src/, example/, README.md."""
    files = _library_files(sources, ctx)
    _write(target / "src", files)
    _write(target / "example", {"main.c": ctx.render("main.c.j2").encode("utf-8")})
    c_files = sorted(name for name in files if name.endswith(".c"))
    (target / "CMakeLists.txt").write_text(ctx.render("CMakeLists.txt.j2", sources=c_files),
                                           encoding="utf-8")
    (target / "README.md").write_text(ctx.render("README.md.j2"), encoding="utf-8")


def write_arduino_zip(sources: Path, target: Path, ctx: DeployContext) -> str:
    """<library>.zip holding <library>/{library.properties, src/, examples/<sketch>/} and a
    README.md beside it; returns the zip's file name."""
    staging = target / ".staging" / ctx.library
    _write(staging / "src", _library_files(sources, ctx))
    sketch = ctx.render("sketch.ino.j2")
    _write(staging / "examples" / ctx.sketch, {f"{ctx.sketch}.ino": sketch.encode("utf-8")})
    readme = ctx.render("README.md.j2")
    (staging / "library.properties").write_text(ctx.render("library.properties.j2"), "utf-8")
    (staging / "README.md").write_text(readme, encoding="utf-8")
    zip_name = f"{ctx.library}.zip"
    with zipfile.ZipFile(target / zip_name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                archive.write(path, str(path.relative_to(staging.parent)))
    shutil.rmtree(target / ".staging")
    (target / "README.md").write_text(readme, encoding="utf-8")
    return zip_name
