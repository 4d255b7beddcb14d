"""Greedy offset planners: place buffers one by one, each at a free offset among the buffers
already placed whose lifetimes overlap its own.

The order in which buffers are placed is the heuristic (biggest first, greedy by breadth, ...);
the fit rule is first-fit (lowest offset) or best-fit (the tightest gap). `BestOfGreedy` runs every
combination and keeps the smallest arena.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from microforge.memory.buffers import Buffer, Placement, align_up, live_bytes

Ordering = Callable[[Sequence[Buffer]], list[Buffer]]


def by_size(buffers: Sequence[Buffer]) -> list[Buffer]:
    """Biggest first; among equals the longest-lived, then the earliest (TFLM's greedy order)."""
    return sorted(buffers, key=lambda b: (-b.size, -(b.last - b.first), b.first, str(b.key)))


def by_area(buffers: Sequence[Buffer]) -> list[Buffer]:
    """Largest size x lifetime first."""
    return sorted(buffers, key=lambda b: (-b.size * (b.last - b.first + 1), -b.size, b.first))


def by_first_use(buffers: Sequence[Buffer]) -> list[Buffer]:
    """In schedule order, biggest first among buffers created at the same position."""
    return sorted(buffers, key=lambda b: (b.first, -b.size, b.last))


def by_breadth(buffers: Sequence[Buffer]) -> list[Buffer]:
    """Greedy by breadth: positions with the most live bytes first; at each, its buffers not yet
    placed, biggest first."""
    if not buffers:
        return []
    n_positions = max(b.last for b in buffers) + 1
    totals = live_bytes(buffers, n_positions)
    result: list[Buffer] = []
    seen: set[Hashable] = set()
    for position in sorted(range(n_positions), key=lambda p: (-totals[p], p)):
        live = [b for b in buffers if b.first <= position <= b.last and b.key not in seen]
        for b in by_size(live):
            seen.add(b.key)
            result.append(b)
    return result


ORDERINGS: dict[str, Ordering] = {
    "size": by_size,
    "breadth": by_breadth,
    "area": by_area,
    "first_use": by_first_use,
}


def _gaps(conflicts: list[tuple[int, int]], size: int,
          alignment: int) -> list[tuple[int, int]]:
    """Free (offset, gap_size) slots between conflicting intervals (sorted by offset) that can
    hold `size` bytes; the last slot is unbounded (gap_size -1)."""
    slots = []
    candidate = 0
    for start, end in conflicts:
        if candidate + size <= start:
            slots.append((candidate, start - candidate))
        candidate = max(candidate, align_up(end, alignment))
    slots.append((candidate, -1))
    return slots


def _chain_offset(members: Sequence[Buffer], placed: list[tuple[Buffer, int]],
                  alignment: int) -> int:
    """The lowest aligned offset where every member of a chain fits beside the placed buffers
    its lifetime overlaps."""
    per_member = [(m.size, [(off, off + other.size) for other, off in placed
                            if other.size and m.overlaps_in_time(other)]) for m in members]
    candidates = sorted({0, *(align_up(end, alignment) for _, spans in per_member
                              for _, end in spans)})
    for offset in candidates:
        if all(offset + size <= start or end <= offset
               for size, spans in per_member if size for start, end in spans):
            return offset
    raise AssertionError("unreachable: the offset past every buffer fits")


def place_in_order(buffers: Sequence[Buffer], alignment: int, best_fit: bool = False,
                   name: str = "") -> Placement:
    """Place `buffers` one by one in the given order, each at the first (or tightest) free slot
    among the already placed buffers whose lifetimes overlap its own. A chain's members are
    placed together, at the first offset where they all fit, when its first member comes."""
    placed: list[tuple[Buffer, int]] = []
    offsets: dict[Hashable, int] = {}
    chains: dict[Hashable, list[Buffer]] = {}
    for b in buffers:
        if b.chain is not None:
            chains.setdefault(b.chain, []).append(b)
    top = 0
    for buf in buffers:
        if buf.key in offsets:
            continue
        if buf.chain is not None:
            members = chains[buf.chain]
            offset = _chain_offset(members, placed, alignment)
            for m in members:
                offsets[m.key] = offset
                placed.append((m, offset))
                top = max(top, offset + m.size)
            continue
        conflicts = sorted((off, off + other.size) for other, off in placed
                           if other.size and buf.overlaps_in_time(other))
        slots = _gaps(conflicts, buf.size, alignment)
        if best_fit and len(slots) > 1:
            offset = min(slots[:-1], key=lambda s: (s[1], s[0]))[0]
        else:
            offset = slots[0][0]
        offsets[buf.key] = offset
        placed.append((buf, offset))
        top = max(top, offset + buf.size)
    return Placement(offsets, align_up(top, alignment), name)


@dataclass(frozen=True)
class GreedyPlanner:
    """Place buffers in the order given by `ordering`, each at the first (or best) free slot."""

    ordering: str = "size"
    best_fit: bool = False

    @property
    def name(self) -> str:
        return f"greedy-{self.ordering}-{'best' if self.best_fit else 'first'}-fit"

    def place(self, buffers: list[Buffer], alignment: int) -> Placement:
        return place_in_order(ORDERINGS[self.ordering](buffers), alignment, self.best_fit,
                              self.name)


@dataclass(frozen=True)
class BestOfGreedy:
    """Run every ordering with first-fit and best-fit; keep the smallest arena (first on ties)."""

    orderings: tuple[str, ...] = tuple(ORDERINGS)

    def place(self, buffers: list[Buffer], alignment: int) -> Placement:
        best: Placement | None = None
        for ordering in self.orderings:
            for best_fit in (False, True):
                placement = GreedyPlanner(ordering, best_fit).place(buffers, alignment)
                if best is None or placement.peak < best.peak:
                    best = placement
        assert best is not None
        return best
