"""Cross toolchains and emulators: find arm-none-eabi-gcc / riscv64-unknown-elf-gcc and QEMU.

A missing tool is a ToolchainError that says exactly what to install (Debian/Ubuntu packages).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from microforge.errors import ToolchainError


@dataclass(frozen=True)
class Toolchain:
    arch: str  # "arm" | "riscv"
    cc: Path  # arm-none-eabi-gcc | riscv64-unknown-elf-gcc
    size: Path  # arm-none-eabi-size | riscv64-unknown-elf-size
    qemu: Path  # qemu-system-arm | qemu-system-riscv32

    @property
    def nm(self) -> Path:
        """The binutils nm beside `size` (same prefix)."""
        return self.size.with_name(self.size.name.replace("size", "nm"))

    @property
    def objdump(self) -> Path:
        """The binutils objdump beside `size` (same prefix)."""
        return self.size.with_name(self.size.name.replace("size", "objdump"))


@dataclass(frozen=True)
class _ToolNames:
    cc: str
    size: str
    qemu: str
    packages: str  # what to apt-get install


_TOOLS = {
    "arm": _ToolNames("arm-none-eabi-gcc", "arm-none-eabi-size", "qemu-system-arm",
                      "gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm"),
    "riscv": _ToolNames("riscv64-unknown-elf-gcc", "riscv64-unknown-elf-size",
                        "qemu-system-riscv32",
                        "gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc"),
}


def find_toolchain(arch: str) -> Toolchain:
    """The cross compiler, size tool and QEMU for `arch` ("arm" or "riscv")."""
    names = _TOOLS.get(arch)
    if names is None:
        known = ", ".join(sorted(_TOOLS))
        raise ToolchainError(f"no cross toolchain for architecture {arch!r} (supported: {known});"
                             " this core can only be estimated")
    found = {key: shutil.which(getattr(names, key)) for key in ("cc", "size", "qemu")}
    missing = [getattr(names, key) for key, path in found.items() if path is None]
    if missing:
        raise ToolchainError(f"toolchain missing: install {', '.join(missing)} "
                             f"(sudo apt-get install {names.packages}, or run `make toolchain`)")
    return Toolchain(arch, Path(found["cc"]), Path(found["size"]), Path(found["qemu"]))


def toolchain_available(arch: str) -> bool:
    try:
        find_toolchain(arch)
    except ToolchainError:
        return False
    return True
