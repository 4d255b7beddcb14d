"""Build a firmware image for a board's core: library sources + an app + the harness
(startup, semihosting, measure markers), linked with a script generated from the board profile.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2

from microforge.errors import BoardFitError, ToolchainError
from microforge.targets.boards import Board, load_board
from microforge.targets.cores import CoreSpec, core_spec, machine_memory
from microforge.targets.toolchain import Toolchain, find_toolchain

FIRMWARE_DIR = Path(str(resources.files("microforge.targets") / "firmware"))
DEFAULT_STACK_BYTES = 8 * 1024
LIBRARY_FLAGS = ("-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic")
HARNESS_FLAGS = ("-std=gnu99", "-Wall", "-Wextra", "-Werror")
COMMON_FLAGS = ("-ffunction-sections", "-fdata-sections", "-g")
_OVERFLOW_RE = re.compile(r"region `(FLASH|RAM)' overflowed by (\d+) bytes")
FLASH_SECTIONS = (".text", ".rodata", ".ARM.exidx", ".data")  # .data: its initial values
RAM_SECTIONS = (".data", ".bss")  # .stack is reserved separately
_MAP_INPUT_RE = re.compile(r"^\s+(?:\S+\s+)?0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)\s+(\S+\.o)\s*$")


@dataclass(frozen=True)
class SectionSizes:
    sections: dict[str, int]  # allocated output sections of the ELF, bytes

    @property
    def flash(self) -> int:
        return sum(self.sections.get(name, 0) for name in FLASH_SECTIONS)

    @property
    def ram(self) -> int:
        return sum(self.sections.get(name, 0) for name in RAM_SECTIONS)


def section_sizes(tools: Toolchain, elf: Path) -> SectionSizes:
    """Output section sizes from `<prefix>-size -A -d`."""
    out = _run([str(tools.size), "-A", "-d", str(elf)], "measuring").stdout
    sections = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith(".") and parts[1].isdigit():
            sections[parts[0]] = int(parts[1])
    return SectionSizes(sections)


def library_sizes(map_file: Path, objects: list[Path]) -> tuple[int, int]:
    """(flash, RAM) bytes of the input sections the linker kept from `objects` (map file)."""
    names = {str(o) for o in objects}
    text = map_file.read_text(encoding="utf-8", errors="replace")
    text = text.split("Linker script and memory map", 1)[-1]
    flash = ram = 0
    output, pending = "", ""
    for line in text.splitlines():
        if line and not line[0].isspace():
            output = line.split()[0]
            continue
        stripped = line.strip()
        if stripped and " " not in stripped and not line.startswith("  "):
            pending = stripped  # a long input-section name; its figures follow on the next line
            continue
        match = _MAP_INPUT_RE.match(line if not pending else f" {pending} {stripped}")
        pending = ""
        if match is None or match.group(3) not in names:
            continue
        size = int(match.group(2), 16)
        flash += size if output in FLASH_SECTIONS else 0
        ram += size if output in RAM_SECTIONS else 0
    return flash, ram


@dataclass
class FirmwareSource:
    sources: list[Path]  # the library's .c files (model and/or DSP)
    include_dirs: list[Path]
    app_c: str  # C text defining `int mf_app_main(void)`; its return is the exit code
    name: str = "app"


@dataclass
class FirmwareImage:
    elf: Path
    board: Board
    core: CoreSpec
    flash_bytes: int  # text + rodata + data of the whole firmware
    ram_bytes: int  # data + bss (arena included) of the whole firmware, stack excluded
    library_flash_bytes: int  # the library objects only (sources), same definitions
    library_ram_bytes: int
    stack_reserved: int
    toolchain: Toolchain | None = None
    sections: SectionSizes | None = None


def _resolve_board(board: Board | str) -> Board:
    return load_board(board) if isinstance(board, str) else board


def _region_lengths(board: Board, core: CoreSpec) -> tuple[int, int, bool]:
    memory = machine_memory(core.machine or "")
    flash = min(board.flash_bytes, memory.flash_max)
    ram = min(board.ram_bytes, memory.ram_max)
    return flash, ram, (flash, ram) != (board.flash_bytes, board.ram_bytes)


def linker_script(board: Board, core: CoreSpec, stack_bytes: int = DEFAULT_STACK_BYTES) -> str:
    """The linker script for `board`: FLASH/RAM regions of the board's sizes at the addresses
    the core's QEMU machine maps, a reserved stack at the top of RAM."""
    memory = machine_memory(core.machine or "")
    flash, ram, clamped = _region_lengths(board, core)
    template = jinja2.Template((FIRMWARE_DIR / "link.ld.j2").read_text(encoding="utf-8"))
    return template.render(board_id=board.id, core=core.name, machine=core.machine,
                           arch=core.arch, flash_origin=memory.flash_origin,
                           flash_length=flash, ram_origin=memory.ram_origin, ram_length=ram,
                           stack_bytes=stack_bytes, clamped=clamped)


def _run(cmd: list[str], what: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except FileNotFoundError as exc:
        raise ToolchainError(f"toolchain missing: {exc.filename} ({what})") from exc


def _compile(tools: Toolchain, core: CoreSpec, source: Path, obj: Path, flags: tuple[str, ...],
             includes: list[Path], opt: str) -> None:
    cmd = [str(tools.cc), *core.cflags, _libc_spec(core), opt, *COMMON_FLAGS, *flags,
           *(f"-I{d}" for d in includes), "-c", str(source), "-o", str(obj)]
    result = _run(cmd, "compiling")
    if result.returncode != 0:
        raise RuntimeError(f"{tools.cc.name} failed on {source}:\n{result.stderr[:4000]}")


def _object_name(source: Path, index: int) -> str:
    digest = hashlib.sha1(str(source).encode()).hexdigest()[:6]
    return f"{index:03d}_{source.stem}_{digest}.o"


def _libc_spec(core: CoreSpec) -> str:
    """picolibc for RISC-V, newlib-nano for Arm (headers at compile time, libraries at link)."""
    return "--specs=picolibc.specs" if core.arch == "riscv" else "--specs=nano.specs"


def _link_flags(core: CoreSpec) -> list[str]:
    return [_libc_spec(core), "-nostartfiles", "-Wl,--gc-sections"]


def _fit_error(name: str, board: Board, stderr: str, lengths: dict[str, int],
               stack_bytes: int) -> BoardFitError | None:
    found = _OVERFLOW_RE.findall(stderr)
    if not found:
        return None
    parts = []
    for region, over in found:
        need_kb = (lengths[region] + int(over)) / 1024
        have_kb = board.flash_kb if region == "FLASH" else board.ram_kb
        label = "flash" if region == "FLASH" else "RAM"
        parts.append(f"needs {need_kb:.1f} KB {label}, board {board.id} has {have_kb} KB")
    stack = f" (RAM includes the {stack_bytes // 1024} KB stack)" if "RAM" in dict(found) else ""
    return BoardFitError(f"{name}: {'; '.join(parts)}{stack}")


def build_firmware(board: Board | str, source: FirmwareSource, work_dir: Path, *,
                   opt: str = "-O2", stack_bytes: int = DEFAULT_STACK_BYTES) -> FirmwareImage:
    """Compile the library sources, the app and the harness for the board's core and link them.
    A firmware too big for the board raises BoardFitError; a missing toolchain ToolchainError."""
    board = _resolve_board(board)
    core = core_spec(board)
    if core.machine is None:
        raise ToolchainError(f"{board.id}: {core.name} has no toolchain or emulator here; its "
                             "figures can only be estimated")
    tools = find_toolchain(core.arch)
    work_dir = Path(work_dir)
    obj_dir = work_dir / "obj"
    obj_dir.mkdir(parents=True, exist_ok=True)
    includes = [*map(Path, source.include_dirs), FIRMWARE_DIR]
    library_objects = []
    for i, src in enumerate(source.sources):
        obj = obj_dir / _object_name(Path(src), i)
        _compile(tools, core, Path(src), obj, LIBRARY_FLAGS, includes, opt)
        library_objects.append(obj)
    app = work_dir / f"{source.name}_main.c"
    app.write_text(source.app_c, encoding="utf-8")
    startup = FIRMWARE_DIR / ("startup_riscv.S" if core.arch == "riscv" else "startup_arm.S")
    harness_objects = []
    # the harness is always -O2: the markers must stay one instruction (a bare return)
    for name, src, level in (("app", app, opt), ("harness", FIRMWARE_DIR / "mf_harness.c", "-O2"),
                             ("startup", startup, "-O2")):
        obj = obj_dir / f"mf_{name}.o"
        _compile(tools, core, src, obj, HARNESS_FLAGS, includes, level)
        harness_objects.append(obj)
    script = work_dir / "link.ld"
    script.write_text(linker_script(board, core, stack_bytes), encoding="utf-8")
    elf = work_dir / f"{source.name}.elf"
    map_file = work_dir / f"{source.name}.map"
    cmd = [str(tools.cc), *core.cflags, *_link_flags(core), f"-T{script}",
           f"-Wl,-Map={map_file}", *map(str, harness_objects + library_objects),
           "-o", str(elf), "-lm", "-lc", "-lgcc"]
    result = _run(cmd, "linking")
    if result.returncode != 0:
        flash, ram, _ = _region_lengths(board, core)
        error = _fit_error(source.name, board, result.stderr, {"FLASH": flash, "RAM": ram},
                           stack_bytes)
        if error is not None:
            raise error
        raise RuntimeError(f"linking {elf.name} failed:\n{result.stderr[:4000]}")
    sizes = section_sizes(tools, elf)
    lib_flash, lib_ram = library_sizes(map_file, library_objects)
    return FirmwareImage(elf=elf, board=board, core=core, flash_bytes=sizes.flash,
                         ram_bytes=sizes.ram, library_flash_bytes=lib_flash,
                         library_ram_bytes=lib_ram, stack_reserved=stack_bytes,
                         toolchain=tools, sections=sizes)
