"""The recommended variant per board: the most accurate one that fits within the latency budget.

Latency = instructions x cycles per instruction / clock when the instructions were counted on
the emulated Cortex-M4 and the board runs the same instruction set (Cortex-M4/M7/M33);
otherwise an estimate from MACs x cycles per MAC for the variant's number format and the
board's core (the figures below, stated in the report).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from microforge.optimize.variants import VariantResult
from microforge.targets.boards import Board, Fit

# Thumb-2 + DSP cores that execute the instruction stream measured on the emulated Cortex-M4
SAME_ISA_CORES = ("cortex-m4", "cortex-m7", "cortex-m33")
DEFAULT_CPI = 1.25  # when microforge.targets.cores is not available: an assumption
# Cycles per MAC for the estimate (assumptions, stated in docs/optimize.md): int8 on a core with
# the DSP extension ~4.5 (the microforge kernels measured 4.5-4.6 instructions/MAC on the
# emulated Cortex-M4 for the UCI HAR cnn1d), about twice that without SIMD; 16x8 a little more;
# float ~1.3x int8 with an FPU and ~10x without (software float).
CYCLES_PER_MAC = {"int8": (4.5, 10.0), "16x8": (5.5, 12.0), "float32": (6.0, 50.0),
                  "dynamic": (6.0, 50.0)}

@dataclass
class Latency:
    ms: float | None
    source: str  # "instructions x CPI" | "MACs estimate" | why unknown


class _Fitting(NamedTuple):
    """A variant that fits a board, with the figures `recommend` ranks it by."""

    variant: VariantResult
    accuracy: float
    ms: float
    flash_bytes: int
    latency: Latency
    fit: Fit


@dataclass
class Recommendation:
    board_id: str
    board_name: str
    technique: str | None  # None: no variant fits within the budget
    accuracy: float | None
    latency: Latency | None
    reason: str

    def to_dict(self) -> dict:
        return {
            "board": self.board_id, "name": self.board_name, "technique": self.technique,
            "accuracy": self.accuracy,
            "latency_ms": self.latency.ms if self.latency else None,
            "latency_source": self.latency.source if self.latency else None,
            "reason": self.reason,
        }


def _cpi(board: Board) -> tuple[float, str]:
    try:
        from microforge.targets.cores import core_spec
    except ModuleNotFoundError:
        return DEFAULT_CPI, f"assumed CPI {DEFAULT_CPI}"
    spec = core_spec(board)
    return float(spec.cycles_per_instruction), f"CPI {spec.cycles_per_instruction:g}"


def latency(variant: VariantResult, board: Board) -> Latency:
    """Milliseconds per inference of `variant` on `board`, and how it was obtained."""
    cost = variant.cost
    if cost is None:
        return Latency(None, "not built")
    hz = board.clock_mhz * 1e6
    if cost.instructions is not None and board.core in SAME_ISA_CORES:
        cpi, how = _cpi(board)
        return Latency(1e3 * cost.instructions * cpi / hz,
                       f"instructions x {how} / {board.clock_mhz:g} MHz")
    if cost.macs is None:
        return Latency(None, "unknown (no MAC count)")
    fast, slow = CYCLES_PER_MAC[variant.format]
    hardware = board.fpu != "none" if variant.format in ("float32", "dynamic") else board.dsp_ext
    per_mac = fast if hardware else slow
    return Latency(1e3 * cost.macs * per_mac / hz,
                   f"estimate: MACs x {per_mac:g} cycles/MAC / {board.clock_mhz:g} MHz")


def recommend(variants: list[VariantResult], boards: list[Board],
              budget_ms: float) -> list[Recommendation]:
    """Per board: the most accurate built variant that fits (flash and RAM) within `budget_ms`.

    Ties in accuracy go to the smaller flash. Variants without a fit figure or latency are
    not recommended (they cannot be shown to fit).
    """
    out = []
    for board in boards:
        candidates: list[_Fitting] = []
        too_slow: list[_Fitting] = []
        for v in variants:
            if v.skipped is not None or v.accuracy is None or v.cost is None:
                continue
            fit = v.cost.fit(board)
            lat = latency(v, board)
            if fit is None or not fit.fits or lat.ms is None:
                continue
            row = _Fitting(v, v.accuracy, lat.ms, v.cost.flash_bytes or 0, lat, fit)
            (candidates if lat.ms <= budget_ms else too_slow).append(row)
        if not candidates:
            reason = f"no variant fits within {budget_ms:g} ms"
            if too_slow:
                fastest = min(too_slow, key=lambda c: c.ms)
                reason += (f"; the fastest that fits is {fastest.variant.technique} at "
                           f"{fastest.ms:.1f} ms")
            out.append(Recommendation(board.id, board.name, None, None, None, reason))
            continue
        best = max(candidates, key=lambda c: (round(c.accuracy, 6), -c.flash_bytes))
        reason = (f"most accurate of {len(candidates)} fitting variant(s): "
                  f"{100 * best.accuracy:.1f} %, {best.ms:.2f} ms <= {budget_ms:g} ms, "
                  f"flash {best.fit.flash_used_pct:.1f} %, RAM {best.fit.ram_used_pct:.1f} %")
        out.append(Recommendation(board.id, board.name, best.variant.technique, best.accuracy,
                                  best.latency, reason))
    return out
