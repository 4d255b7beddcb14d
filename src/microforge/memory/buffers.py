"""Buffers with lifetimes, placements, the planner interface and the placement checker."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Protocol


def align_up(n: int, alignment: int) -> int:
    """n rounded up to a multiple of alignment (alignment >= 1)."""
    return (n + alignment - 1) // alignment * alignment


@dataclass(frozen=True)
class Buffer:
    """A block of `size` bytes needed from position `first` to `last` (inclusive) of a schedule.

    `chain`: buffers of one chain (an in-place run whose sizes change: each member the next
    one's input, memory/lifetimes.py) share one offset and may meet at the position where one
    hands over to the next; there the bytes live are the bigger member's."""

    key: Hashable
    size: int
    first: int
    last: int
    chain: Hashable | None = None

    def __post_init__(self) -> None:
        if self.size < 0:
            raise ValueError(f"buffer {self.key!r}: negative size {self.size}")
        if self.last < self.first:
            raise ValueError(f"buffer {self.key!r}: last use {self.last} before first {self.first}")

    def overlaps_in_time(self, other: Buffer) -> bool:
        return self.first <= other.last and other.first <= self.last


@dataclass
class Placement:
    """Offsets chosen by a planner and the arena size they need (`peak`, aligned)."""

    offsets: dict[Hashable, int]
    peak: int
    planner: str = ""


class Planner(Protocol):
    """Anything that assigns offsets to buffers so that buffers live at the same time never share
    a byte; offsets are multiples of `alignment`."""

    def place(self, buffers: list[Buffer], alignment: int) -> Placement: ...


@dataclass(frozen=True)
class Conflict:
    first: Hashable
    second: Hashable
    reason: str


@dataclass
class CheckResult:
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts

    def __str__(self) -> str:
        return "; ".join(f"{c.first!r}/{c.second!r}: {c.reason}" for c in self.conflicts) or "ok"


def check_placement(buffers: Sequence[Buffer], placement: Placement,
                    alignment: int = 1) -> CheckResult:
    """Every buffer placed, aligned, inside the arena, and no two buffers that are live at the same
    position share a byte."""
    result = CheckResult()
    offsets = placement.offsets
    for b in buffers:
        if b.key not in offsets:
            result.conflicts.append(Conflict(b.key, b.key, "not placed"))
            continue
        offset = offsets[b.key]
        if offset < 0 or offset % alignment:
            result.conflicts.append(Conflict(b.key, b.key, f"offset {offset} not aligned"))
        if offset + b.size > placement.peak:
            result.conflicts.append(Conflict(b.key, b.key, f"ends at {offset + b.size} beyond "
                                                           f"the arena of {placement.peak}"))
    placed = [b for b in buffers if b.key in offsets and b.size > 0]
    placed.sort(key=lambda b: b.first)
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            if b.first > a.last:
                break
            lo_a, lo_b = offsets[a.key], offsets[b.key]
            if a.chain is not None and a.chain == b.chain:
                if lo_a != lo_b:
                    result.conflicts.append(Conflict(a.key, b.key, f"one chain at offsets "
                                                                   f"{lo_a} and {lo_b}"))
                continue
            if lo_a < lo_b + b.size and lo_b < lo_a + a.size:
                result.conflicts.append(Conflict(a.key, b.key, f"[{lo_a}, {lo_a + a.size}) and "
                                                               f"[{lo_b}, {lo_b + b.size}) overlap"))
    return result


def live_bytes(buffers: Sequence[Buffer], positions: int) -> list[int]:
    """Sum of the sizes of the buffers live at each position 0..positions-1 (a chain counts
    its biggest member live there)."""
    n = max([positions, *(b.last + 1 for b in buffers)]) + 1
    delta = [0] * n
    chains: dict[Hashable, list[Buffer]] = {}
    for b in buffers:
        if b.chain is not None:
            chains.setdefault(b.chain, []).append(b)
            continue
        delta[b.first] += b.size
        delta[b.last + 1] -= b.size
    totals, running = [], 0
    for d in delta[:positions]:
        running += d
        totals.append(running)
    for members in chains.values():
        top = [0] * positions
        for b in members:
            for p in range(b.first, min(b.last + 1, positions)):
                top[p] = max(top[p], b.size)
        totals = [t + c for t, c in zip(totals, top, strict=True)]
    return totals


def max_live_bytes(buffers: Sequence[Buffer]) -> int:
    """The largest sum of sizes live at one position: no placement can use less memory."""
    if not buffers:
        return 0
    return max(live_bytes(buffers, max(b.last for b in buffers) + 1))
