"""Build helpers for the deploy tests: host gcc/g++, arm-none-eabi-gcc/g++ and CMake."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from microforge.targets.boards import load_board

STRICT = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"]
STUB_DIR = Path(__file__).parent / "arduino_stub"


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed")
    return path


def run(cmd: list[str], cwd: Path | None = None) -> str:
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(map(str, cmd))}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def board_flags(board_id: str) -> list[str]:
    from microforge.targets.cores import core_spec

    return list(core_spec(load_board(board_id)).cflags)


def arm_link_flags() -> list[str]:
    return ["--specs=nosys.specs", "-Wl,--gc-sections"]


def compile_objects(cc: str, sources: list[Path], include: list[Path], flags: list[str],
                    out: Path) -> list[Path]:
    """Compile each source to an object in `out` (strict C99 for .c files)."""
    out.mkdir(parents=True, exist_ok=True)
    objects = []
    for source in sources:
        obj = out / f"{source.stem}.o"
        std = STRICT if source.suffix == ".c" else []
        run([cc, *std, *flags, "-O2", *[f"-I{d}" for d in include], "-c", source, "-o", obj])
        objects.append(obj)
    return objects


def arm_toolchain_file(path: Path, cflags: list[str]) -> Path:
    """A small CMake toolchain file for arm-none-eabi-gcc with the board's CPU flags."""
    flags = " ".join(cflags)
    path.write_text(
        "set(CMAKE_SYSTEM_NAME Generic)\n"
        "set(CMAKE_SYSTEM_PROCESSOR arm)\n"
        f"set(CMAKE_C_COMPILER {need('arm-none-eabi-gcc')})\n"
        "set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)\n"
        f"set(CMAKE_C_FLAGS_INIT \"{flags} -Wall -Wextra -Werror -pedantic\")\n"
        "set(CMAKE_EXE_LINKER_FLAGS_INIT \"--specs=nosys.specs\")\n",
        encoding="utf-8",
    )
    return path
