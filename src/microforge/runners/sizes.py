"""Flash and RAM of a generated C library, per part (DSP, network, pipeline glue).

Each .c file is compiled on its own with -Os (for a Cortex-M4 with FPU when arm-none-eabi-gcc
is installed, else for the host) and measured with `size`: flash = text + data,
RAM = data + bss (static buffers and the model's arena; the stack is not included).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from microforge.errors import ToolchainError

CORTEX_M4_FLAGS = ["-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"]
WARNING_FLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"]


@dataclass(frozen=True)
class PartSize:
    flash_bytes: int
    ram_bytes: int


@dataclass
class LibrarySizes:
    target: str  # "cortex-m4" or "host"
    parts: dict[str, PartSize] = field(default_factory=dict)  # "dsp", "network", "pipeline"
    files: dict[str, PartSize] = field(default_factory=dict)

    @property
    def total(self) -> PartSize:
        return PartSize(sum(p.flash_bytes for p in self.parts.values()),
                        sum(p.ram_bytes for p in self.parts.values()))


def measure_library(folder: Path, part_of: Callable[[str], str], cortex_m: bool = True,
                    arm_flags: list[str] | None = None) -> LibrarySizes:
    """Sizes of every .c in folder, summed per part_of(filename). `arm_flags` replaces the
    Cortex-M4 hard-float flags (`CORTEX_M4_FLAGS`) when arm-none-eabi-gcc is used."""
    arm = shutil.which("arm-none-eabi-gcc") if cortex_m else None
    cc = arm or shutil.which("gcc")
    size = shutil.which("arm-none-eabi-size" if arm else "size")
    if cc is None or size is None:
        raise ToolchainError("gcc and size (binutils) are needed to measure code size")
    flags = (CORTEX_M4_FLAGS if arm_flags is None else arm_flags) if arm else []
    result = LibrarySizes("cortex-m4" if arm else "host")
    sums: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory(prefix="mf_libsize_") as tmp:
        for source in sorted(Path(folder).glob("*.c")):
            obj = Path(tmp) / f"{source.stem}.o"
            cmd = [cc, *WARNING_FLAGS, *flags, "-Os", "-c", str(source), "-I", str(folder),
                   "-o", str(obj)]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                raise ToolchainError(f"{cc} failed on {source.name}: {done.stderr[:2000]}")
            out = subprocess.run([size, str(obj)], capture_output=True, text=True).stdout
            text, data, bss = (int(v) for v in out.splitlines()[1].split()[:3])
            result.files[source.name] = PartSize(text + data, data + bss)
            totals = sums.setdefault(part_of(source.name), [0, 0])
            totals[0] += text + data
            totals[1] += data + bss
    result.parts = {part: PartSize(f, r) for part, (f, r) in sums.items()}
    return result
