"""The board's budget as Optuna constraints: RAM and flash from the board profile, latency in
ms at the board's clock from `[search] latency_ms`. A constraint value is the relative excess
(used / budget - 1): <= 0 fits, > 0 is infeasible by that fraction."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.search.cost import CandidateCost
from microforge.targets.boards import Board


@dataclass(frozen=True)
class Budget:
    board: Board
    latency_ms: float | None = None

    def constraints(self, cost: CandidateCost) -> dict[str, float]:
        values = {"ram": cost.ram_bytes / self.board.ram_bytes - 1,
                  "flash": cost.flash_bytes / self.board.flash_bytes - 1}
        if self.latency_ms is not None and cost.latency_ms is not None:
            values["latency"] = cost.latency_ms / self.latency_ms - 1
        return values

    def reasons(self, cost: CandidateCost) -> list[str]:
        """One phrase per exceeded budget (empty: feasible)."""
        b = self.board
        out = []
        if cost.ram_bytes > b.ram_bytes:
            out.append(f"RAM {cost.ram_bytes / 1024:.1f} KB > {b.ram_kb} KB of {b.id}")
        if cost.flash_bytes > b.flash_bytes:
            out.append(f"flash {cost.flash_bytes / 1024:.1f} KB > {b.flash_kb} KB of {b.id}")
        if (self.latency_ms is not None and cost.latency_ms is not None
                and cost.latency_ms > self.latency_ms):
            out.append(f"latency {cost.latency_ms:.2f} ms > {self.latency_ms:g} ms at "
                       f"{b.clock_mhz:g} MHz")
        return out

    def describe(self) -> str:
        b = self.board
        text = f"{b.id}: RAM {b.ram_kb} KB, flash {b.flash_kb} KB"
        if self.latency_ms is not None:
            text += f", latency {self.latency_ms:g} ms at {b.clock_mhz:g} MHz"
        return text
