"""The three deploy layouts. Each writes into `target`, an empty temp folder that deploy_model
or deploy_project renames into place (see microforge.atomic).

`ctx` is a DeployContext (a bare model) or a ProjectContext (the whole pipeline): both give
`library_files(sources)`, `render(template)`, the template names (`TEMPLATES`), `library` and
`sketch`."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any


def _write(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for filename, data in files.items():
        (folder / filename).write_bytes(data)


def _render(ctx: Any, part: str, **extra: Any) -> str:
    return ctx.render(ctx.TEMPLATES[part], **extra)


def write_c_library(sources: Path, target: Path, ctx: Any) -> None:
    """A flat folder: the library, README.md, example/main.c."""
    _write(target, ctx.library_files(sources))
    _write(target / "example", {"main.c": _render(ctx, "main").encode("utf-8")})
    (target / "README.md").write_text(_render(ctx, "readme"), encoding="utf-8")


def write_cmake_package(sources: Path, target: Path, ctx: Any) -> None:
    """CMakeLists.txt (static library `mf_<name>`, alias `microforge::<name>`, + `<name>_example`), src/, example/, README.md."""
    files = ctx.library_files(sources)
    _write(target / "src", files)
    _write(target / "example", {"main.c": _render(ctx, "main").encode("utf-8")})
    c_files = sorted(name for name in files if name.endswith(".c"))
    (target / "CMakeLists.txt").write_text(_render(ctx, "cmake", sources=c_files),
                                           encoding="utf-8")
    (target / "README.md").write_text(_render(ctx, "readme"), encoding="utf-8")


def write_arduino_zip(sources: Path, target: Path, ctx: Any) -> tuple[str, int]:
    """<library>.zip holding <library>/{library.properties, src/, examples/<sketch>/} and a
    README.md beside it; returns the zip's file name and the number of files in it."""
    staging = target / ".staging" / ctx.library
    _write(staging / "src", ctx.library_files(sources))
    sketch = _render(ctx, "sketch")
    _write(staging / "examples" / ctx.sketch, {f"{ctx.sketch}.ino": sketch.encode("utf-8")})
    readme = _render(ctx, "readme")
    (staging / "library.properties").write_text(_render(ctx, "properties"), "utf-8")
    (staging / "README.md").write_text(readme, encoding="utf-8")
    zip_name = f"{ctx.library}.zip"
    count = 0
    with zipfile.ZipFile(target / zip_name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                archive.write(path, str(path.relative_to(staging.parent)))
                count += 1
    shutil.rmtree(target / ".staging")
    (target / "README.md").write_text(readme, encoding="utf-8")
    return zip_name, count
