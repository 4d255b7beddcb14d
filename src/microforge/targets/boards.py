"""Board profiles (data files in targets/boards/*.toml) and the flash/RAM fit check.

The fit check defaults to the TFLM deployment path:

- flash = .tflite size + TFLM_RUNTIME_FLASH_BYTES (80 KB): an estimate of the TFLM runtime code
  (interpreter, allocator, flatbuffer parsing, kernels for the 6-8 ops of the zoo models) on a
  Cortex-M, in the middle of the 50-160 KB published for TFLM builds. Not measured here.
- RAM = measured TFLM arena + TFLM_RAM_ALLOWANCE_BYTES (8 KB): main stack (4 KB), the
  MicroInterpreter/op resolver/allocator objects and runtime statics (about 4 KB).

Other deployment paths (the microforge C library) pass their own reserves.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from microforge.errors import ConfigError
from microforge.paths import BOARDS_DIR
from microforge.registry import Registry

TFLM_RUNTIME_FLASH_BYTES = 80 * 1024
TFLM_RAM_ALLOWANCE_BYTES = 8 * 1024
FPU_KINDS = ("none", "sp", "dp")


@dataclass(frozen=True)
class Board:
    id: str
    name: str
    vendor: str
    mcu: str
    core: str  # GCC -mcpu spelling for Arm cores (cortex-m4 ...), else an arch name
    fpu: str  # none / sp / dp
    dsp_ext: bool  # Armv7E-M / Armv8-M DSP (SIMD) extension
    clock_mhz: float
    flash_kb: int
    ram_kb: int
    emulator: str | None  # QEMU machine (mps2-an386 ...) or None
    estimate_only: bool  # no emulator / toolchain here: figures are estimates
    source: str  # datasheet(s) the figures come from
    notes: str = ""
    datasheets: tuple[str, ...] = ()  # URLs of the vendor documents in `source`

    @property
    def arch(self) -> str:
        """The architecture, from the core name: "arm", "riscv" or "xtensa"."""
        if self.core.startswith("cortex-"):
            return "arm"
        if self.core.startswith(("rv32", "rv64", "riscv")):
            return "riscv"
        return self.core.split("-")[0]

    @property
    def emulated(self) -> bool:
        """An emulator verifies this board's core (figures measured, not estimated)."""
        return self.emulator is not None and not self.estimate_only

    @property
    def flash_bytes(self) -> int:
        return self.flash_kb * 1024

    @property
    def ram_bytes(self) -> int:
        return self.ram_kb * 1024


@dataclass(frozen=True)
class Fit:
    fits: bool
    flash_used_pct: float
    ram_used_pct: float
    message: str
    flash_bytes: int = 0  # the totals checked, reserves included
    ram_bytes: int = 0

    def to_dict(self) -> dict:
        return {
            "fits": self.fits,
            "flash_used_pct": self.flash_used_pct,
            "ram_used_pct": self.ram_used_pct,
            "flash_bytes": self.flash_bytes,
            "ram_bytes": self.ram_bytes,
            "message": self.message,
        }


def board_registry(boards_dir: Path = BOARDS_DIR) -> Registry[Path]:
    """Board ids -> their profile files (one TOML file per board in boards_dir)."""
    return _shipped_boards() if boards_dir == BOARDS_DIR else _scan(boards_dir)


@functools.cache
def _shipped_boards() -> Registry[Path]:
    return _scan(BOARDS_DIR)


def _scan(boards_dir: Path) -> Registry[Path]:
    registry: Registry[Path] = Registry("board", choices="known boards: ")
    for path in sorted(boards_dir.glob("*.toml")):
        registry.register(path.stem, path)
    return registry


def board_ids(boards_dir: Path = BOARDS_DIR) -> list[str]:
    return board_registry(boards_dir).names()


def load_board(board_id: str, boards_dir: Path = BOARDS_DIR) -> Board:
    """The profile `boards_dir/<board_id>.toml`; unknown ids raise ConfigError listing the known."""
    path = board_registry(boards_dir).get(board_id)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    return _board_from_dict(raw, path)


def all_boards(boards_dir: Path = BOARDS_DIR) -> list[Board]:
    return [load_board(board_id, boards_dir) for board_id in board_ids(boards_dir)]


def _board_from_dict(raw: dict, path: Path) -> Board:
    names = {f.name for f in fields(Board)}
    required = names - {"notes", "datasheets"}
    missing = sorted(required - raw.keys())
    if missing:
        raise ConfigError(f"{path}: missing field(s) {', '.join(missing)}")
    unknown = sorted(raw.keys() - names)
    if unknown:
        raise ConfigError(f"{path}: unknown field(s) {', '.join(unknown)}")
    if raw["id"] != path.stem:
        raise ConfigError(f"{path}: id {raw['id']!r} must equal the file name {path.stem!r}")
    if raw["fpu"] not in FPU_KINDS:
        raise ConfigError(f"{path}: fpu must be one of {', '.join(FPU_KINDS)}, got {raw['fpu']!r}")
    for key in ("clock_mhz", "flash_kb", "ram_kb"):
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"{path}: {key} must be a positive number, got {value!r}")
    for key in ("dsp_ext", "estimate_only"):
        if not isinstance(raw[key], bool):
            raise ConfigError(f"{path}: {key} must be true or false, got {raw[key]!r}")
    datasheets = raw.get("datasheets", [])
    if not isinstance(datasheets, list) or not all(isinstance(u, str) for u in datasheets):
        raise ConfigError(f"{path}: datasheets must be a list of URLs (strings)")
    emulator = raw["emulator"]
    return Board(
        **{
            **raw,
            "datasheets": tuple(datasheets),
            "emulator": None if emulator in ("none", "") else str(emulator),
            "flash_kb": int(raw["flash_kb"]),
            "ram_kb": int(raw["ram_kb"]),
            "clock_mhz": float(raw["clock_mhz"]),
        }
    )


def fit_check(
    board: Board,
    flash_bytes: int,
    ram_bytes: int,
    reserve_ram_bytes: int = TFLM_RAM_ALLOWANCE_BYTES,
    reserve_flash_bytes: int = TFLM_RUNTIME_FLASH_BYTES,
) -> Fit:
    """Does a model needing `flash_bytes` (e.g. the .tflite) and `ram_bytes` (e.g. the measured
    arena), plus the runtime reserves, fit the board? Percentages are of the board's totals."""
    if flash_bytes < 0 or ram_bytes < 0 or reserve_ram_bytes < 0 or reserve_flash_bytes < 0:
        raise ValueError("sizes must be >= 0")
    flash = int(flash_bytes) + int(reserve_flash_bytes)
    ram = int(ram_bytes) + int(reserve_ram_bytes)
    flash_pct = 100.0 * flash / board.flash_bytes
    ram_pct = 100.0 * ram / board.ram_bytes
    over = [
        f"{what} {need / 1024:.1f} KB > {have} KB"
        for what, need, have in (("flash", flash, board.flash_kb), ("RAM", ram, board.ram_kb))
        if need > have * 1024
    ]
    figures = (
        f"flash {flash / 1024:.1f} of {board.flash_kb} KB ({flash_pct:.1f} %), "
        f"RAM {ram / 1024:.1f} of {board.ram_kb} KB ({ram_pct:.1f} %)"
    )
    estimate = " (estimate)" if board.estimate_only else ""
    if over:
        message = f"{board.name}: does not fit{estimate}: {'; '.join(over)}"
    else:
        message = f"{board.name}: fits{estimate}: {figures}"
    return Fit(not over, round(flash_pct, 2), round(ram_pct, 2), message, flash, ram)
