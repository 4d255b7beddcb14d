"""plan_graph_memory: schedule, lifetimes, placement -> the arena layout codegen uses."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from microforge.ir.graph import Graph
from microforge.memory.buffers import Buffer, Placement, Planner, check_placement
from microforge.memory.lifetimes import ArenaScope, Lifetimes, build_lifetimes, scratch_key
from microforge.memory.report import plan_as_dict, plan_table, plan_timeline
from microforge.memory.search import SearchPlanner
from microforge.ops.base import MemoryHints


@dataclass(frozen=True)
class TensorInfo:
    name: str
    size: int
    first: int  # position in plan.order of its producer
    last: int  # position of its last reader


@dataclass
class MemoryPlan:
    """Arena offsets of every arena tensor and scratch buffer, for one execution order."""

    graph_name: str
    order: list[int]  # operator indices in execution order (codegen emits calls in this order)
    tensor_offsets: dict[int, int]  # arena tensor -> offset (aliases share their source's)
    scratch_offsets: dict[int, int]  # operator index -> offset of its scratch buffer
    arena_size: int  # bytes, a multiple of alignment
    lower_bound: int  # max live bytes of arena tensors without in-place/aliasing (no scratch)
    live_peak: int  # max live bytes of the planned buffers: no placement can beat it
    alignment: int
    planner: str
    buffers: list[Buffer]
    buffer_offsets: dict[Hashable, int]
    tensors: dict[int, TensorInfo]  # arena tensors
    tensor_buffer: dict[int, Hashable]  # arena tensor -> key of its buffer
    inplace: dict[int, tuple[int, int]] = field(default_factory=dict)  # op -> (input, output)
    aliases: dict[int, int] = field(default_factory=dict)  # output -> input sharing its memory
    op_types: dict[int, str] = field(default_factory=dict)
    scope: ArenaScope = field(default_factory=ArenaScope)  # graph I/O planned in the arena?
    graph_inputs: list[int] = field(default_factory=list)
    graph_outputs: list[int] = field(default_factory=list)

    def table(self) -> str:
        return plan_table(self)

    def timeline(self, width: int = 40) -> str:
        return plan_timeline(self, width)

    def to_dict(self) -> dict[str, Any]:
        return plan_as_dict(self)


def _place(lifetimes: Lifetimes, planner: Planner, alignment: int) -> Placement:
    placement = planner.place(list(lifetimes.buffers), alignment)
    checked = check_placement(lifetimes.buffers, placement, alignment)
    if not checked.ok:  # a planner bug, never a user error
        raise AssertionError(f"invalid memory placement: {checked}")
    return placement


def plan_graph_memory(graph: Graph, hints: dict[int, MemoryHints] | None = None,
                      order: Sequence[int] | None = None, alignment: int = 16,
                      planner: Planner | None = None, *, inputs_in_arena: bool = False,
                      outputs_in_arena: bool = False) -> MemoryPlan:
    """Plan the arena for `graph`. With order None, the best of graph order and
    `passes.schedule.best_order` (graph order on ties) is used.

    By default graph inputs/outputs stay in the caller's buffers. inputs_in_arena: inputs get
    arena offsets (written by the caller before every invoke, may be overwritten in place once
    read); outputs_in_arena: outputs get arena offsets and stay intact until invoke returns."""
    from microforge.memory.schedule import best_order

    if alignment < 1:
        raise ValueError(f"alignment must be >= 1, got {alignment}")
    hints = hints or {}
    planner = planner or SearchPlanner()
    scope = ArenaScope(inputs_in_arena, outputs_in_arena)
    if order is not None:
        candidates = [list(order)]
    else:
        candidates = [[op.index for op in graph.operators]]
        # an op with side effects on shared state (MemoryHints.ordered) pins the graph order
        if not any(h.ordered for h in hints.values()):
            scheduled = best_order(graph, hints, scope=scope)
            if scheduled != candidates[0]:
                candidates.append(scheduled)
    best: tuple[Lifetimes, Placement] | None = None
    # one merged buffer per in-place run (shrinking runs or not), for every order; then chained
    # buffers keeping their own sizes (growing runs or not), taken only when strictly smaller
    # (they run more ops in place, some through slower kernel paths): the smallest arena wins,
    # the first on ties
    variants = [(candidate, shrinking, False, False) for candidate in candidates
                for shrinking in (True, False)]
    variants += [(candidate, True, True, growing) for candidate in candidates
                 for growing in (False, True)]
    for candidate, shrinking, chained, growing in variants:
        lifetimes = build_lifetimes(graph, candidate, hints, shrinking_inplace=shrinking,
                                    scope=scope, chained=chained, growing=growing)
        placement = _place(lifetimes, planner, alignment)
        if best is None or placement.peak < best[1].peak:
            best = (lifetimes, placement)
    assert best is not None
    return _make_plan(graph, *best, alignment, scope)


def _make_plan(graph: Graph, lifetimes: Lifetimes, placement: Placement, alignment: int,
               scope: ArenaScope) -> MemoryPlan:
    offsets = placement.offsets
    tensor_offsets = {t: offsets[key] for t, key in sorted(lifetimes.tensor_buffer.items())}
    scratch_offsets = {key[1]: offsets[key] for key in offsets
                       if isinstance(key, tuple) and key == scratch_key(key[1])}
    tensors = {t: TensorInfo(graph.tensors[t].name, graph.tensors[t].nbytes, *span)
               for t, span in sorted(lifetimes.tensor_spans.items())}
    return MemoryPlan(
        graph_name=graph.name, order=list(lifetimes.order), tensor_offsets=tensor_offsets,
        scratch_offsets=dict(sorted(scratch_offsets.items())), arena_size=placement.peak,
        lower_bound=lifetimes.no_reuse_peak, live_peak=lifetimes.live_peak, alignment=alignment,
        planner=placement.planner, buffers=list(lifetimes.buffers), buffer_offsets=dict(offsets),
        tensors=tensors, tensor_buffer=dict(lifetimes.tensor_buffer),
        inplace=dict(lifetimes.inplace), aliases=dict(lifetimes.aliases),
        op_types={op.index: op.op_type for op in graph.operators}, scope=scope,
        graph_inputs=list(graph.inputs), graph_outputs=list(graph.outputs),
    )
