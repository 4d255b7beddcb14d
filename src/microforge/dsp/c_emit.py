"""Emit a fitted DSP block as C: const tables from the block's own numbers + calls into the
hand-written kernels of runtime/dsp (see docs/dsp_c.md).

    dsp_c = block.emit_c("mf_kws_dsp")          # fitted block
    dsp_c.write(out_dir)                       # mf_kws_dsp.h/.c + the kernels they call
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import numpy as np

from microforge.c_literals import c_float, c_int
from microforge.errors import ConfigError
from microforge.paths import RUNTIME_DIR

if TYPE_CHECKING:
    from microforge.dsp.base import DspBlock
    from microforge.targets.boards import Board

DSP_RUNTIME_DIR = RUNTIME_DIR / "dsp"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FLOAT_KERNELS = ["mf_dsp_fft.h", "mf_dsp_fft.c", "mf_dsp_frontend.h", "mf_dsp_frontend.c"]
FIXED_KERNELS = ["mf_dsp_fixed.h", "mf_dsp_fixed.c"]
SPECTRAL_KERNELS = ["mf_dsp_spectral.h", "mf_dsp_spectral.c"]
Q31_ONE = 2**31 - 1


@dataclass
class DspC:
    """Generated C of one fitted block (the contract in docs/dsp_c.md)."""

    prefix: str
    files: dict[str, str]
    kernels: list[str]
    window_len: int
    n_channels: int
    n_features: int
    fixed_point: bool
    feature_shape: tuple[int, ...] = field(default=())

    def write(self, out_dir: Path) -> None:
        """Write the generated files and copy the kernels they call into `out_dir`."""
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, text in self.files.items():
            (out_dir / name).write_text(text, encoding="utf-8")
        for name in self.kernels:
            shutil.copyfile(DSP_RUNTIME_DIR / name, out_dir / name)


# -- table formatting ------------------------------------------------------------------------
def c_floats(values: Any, per_line: int = 6) -> str:
    """Comma-separated float32 literals that round-trip exactly (9 significant digits)."""
    flat = np.asarray(values, dtype=np.float32).ravel()
    if not np.all(np.isfinite(flat)):
        raise ConfigError("dsp: a fitted table holds NaN or infinity; refit the block")
    items = [c_float(float(v)) for v in flat]
    return _lines(items, per_line) if items else "0.0f"


def c_ints(values: Any, per_line: int = 12) -> str:
    flat = [c_int(v) for v in np.asarray(values).ravel()]
    return _lines(flat, per_line) if flat else "0"


def _lines(items: list[str], per_line: int) -> str:
    rows = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return ",\n    ".join(rows)


def twiddle_table(n: int) -> np.ndarray:
    """(n/2, 2) of (cos, -sin)(2 pi k / n): the float FFT's table, computed in float64."""
    k = np.arange(n // 2)
    return np.stack([np.cos(2 * np.pi * k / n), -np.sin(2 * np.pi * k / n)], axis=1)


def to_q31(values: Any) -> np.ndarray:
    """float64 in [-1, 1] -> int32 q31, rounded to nearest, 1.0 saturated."""
    q = np.round(np.asarray(values, dtype=np.float64) * 2.0**31)
    return np.clip(q, -(2**31), Q31_ONE).astype(np.int64)


def sparse_rows(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(n_bins, n_filters) dense -> per filter start bin, length, and the weights in between
    (zeros trimmed at both ends), concatenated."""
    starts, lengths, flat = [], [], []
    for column in np.asarray(weights, dtype=np.float64).T:
        nonzero = np.flatnonzero(column)
        lo, hi = (int(nonzero[0]), int(nonzero[-1]) + 1) if nonzero.size else (0, 0)
        starts.append(lo)
        lengths.append(hi - lo)
        flat.append(column[lo:hi])
    return np.array(starts), np.array(lengths), np.concatenate(flat) if flat else np.zeros(0)


def check_prefix(prefix: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", prefix or ""):
        raise ConfigError(f"dsp prefix {prefix!r} is not a C identifier; use letters, digits, _")
    return prefix


def require_power_of_two(n: int, field_name: str) -> None:
    if n < 4 or n & (n - 1):
        raise ConfigError(
            f"dsp.params.{field_name}: the C FFT needs a power of two >= 4 (got {n}); "
            "set fft_length to one"
        )


# -- rendering -------------------------------------------------------------------------------
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["floats"] = c_floats
_ENV.filters["ints"] = c_ints


def render(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)


def emit_files(prefix: str, body_template: str, context: dict[str, Any]) -> dict[str, str]:
    """<prefix>.h (shared header template) and <prefix>.c (the block's template)."""
    context = {"prefix": prefix, "PREFIX": prefix.upper(), **context}
    return {
        f"{prefix}.h": render("dsp.h.j2", **context),
        f"{prefix}.c": render(body_template, **context),
    }


def standardizer_tables(block: Any) -> dict[str, Any]:
    s = block.standardizer
    if s is None:
        return {"has_std": False, "mean": [], "std": [], "n_stats": 0}
    return {"has_std": True, "mean": s.mean, "std": s.std, "n_stats": int(np.size(s.mean))}


def emit_block(block: DspBlock, prefix: str, fixed_point: bool = False) -> DspC:
    """DspC of any fitted block (dispatch on its name)."""
    from microforge.dsp import c_emit_blocks

    block._require_fitted()
    check_prefix(prefix)
    emitters = {
        "mfe": c_emit_blocks.emit_audio,
        "mfcc": c_emit_blocks.emit_audio,
        "spectral": c_emit_blocks.emit_spectral,
        "raw": c_emit_blocks.emit_raw,
        "image": c_emit_blocks.emit_image,
    }
    if block.name not in emitters:
        raise ConfigError(f"dsp.block: no C emitter for the {block.name!r} block")
    return emitters[block.name](block, prefix, fixed_point)


def fixed_point_for(board: Board | str) -> bool:
    """Whether a board profile (Board or its id) wants the fixed-point DSP: no FPU."""
    from microforge.targets.boards import load_board

    profile = load_board(board) if isinstance(board, str) else board
    return profile.fpu == "none"
