"""Execution order that minimises peak live memory (branching graphs: residual blocks, ...).

Model: memory values are the alias groups of arena tensors (see memory/lifetimes.py). With the set
S of operators already run, the bytes resident are the groups produced in S that some operator
outside S still reads. Running operator v then needs resident(S) + its new output groups + its
scratch, minus the input group it overwrites in place (when v is that group's last reader).

- `exact_order`: minimum over all topological orders of the maximum step cost, by memoised search
  over the executed sets (downsets); gives up (None) beyond `max_states` sets.
- `greedy_order`: repeatedly run the ready operator with the cheapest step (ties: graph order).
- `best_order`: exact when feasible, else greedy; never worse than graph order under the model.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from microforge.ir.graph import NO_TENSOR, Graph
from microforge.memory.lifetimes import (
    CALLER_IO,
    NO_HINTS,
    ArenaScope,
    alias_sources,
    arena_tensors,
)
from microforge.ops.base import MemoryHints

MAX_STATES = 20_000


@dataclass
class _Model:
    """Operators as bit positions (graph order) with the facts the step cost needs."""

    ops: list[int]  # bit -> operator index
    preds: list[int]  # bit -> mask of operators producing its inputs
    new_bytes: list[int]  # bit -> bytes of arena groups it creates, plus scratch
    # (the scratch of an in-place hint counts only when the in-place is granted: inplace_scratch)
    created: list[list[int]]  # bit -> groups it creates
    initial: list[int]  # groups resident before the first operator (graph inputs in the arena)
    inplace: list[tuple[int, int, int] | None]  # bit -> (source group, size saved, readers mask)
    group_size: list[int]
    group_readers: list[int]  # group -> mask of operators reading it
    reads: list[list[int]]  # bit -> distinct arena groups it reads
    inplace_scratch: list[int]  # bit -> scratch bytes planned only with the in-place run

    def resident(self, done: int) -> int:
        """Bytes of groups produced in `done` that an operator outside `done` still reads."""
        total = sum(self.group_size[g] for g in self.initial if self.group_readers[g] & ~done)
        for bit, groups in enumerate(self.created):
            if done >> bit & 1:
                for g in groups:
                    if self.group_readers[g] & ~done:
                        total += self.group_size[g]
        return total

    def step(self, done: int, resident: int, bit: int) -> int:
        cost = resident + self.new_bytes[bit]
        inplace = self.inplace[bit]
        if inplace is not None:
            _, saved, readers = inplace
            if readers & ~done == 1 << bit:  # v is the last reader of the source group
                cost += self.inplace_scratch[bit] - saved
        return cost

    def after(self, done: int, resident: int, bit: int) -> int:
        """resident(done | bit), from resident(done): new groups still read, minus the groups
        whose last reader is `bit`."""
        now = done | 1 << bit
        readers = self.group_readers
        kept = sum(self.group_size[g] for g in self.created[bit] if readers[g] & ~now)
        freed = sum(self.group_size[g] for g in self.reads[bit] if not readers[g] & ~now)
        return resident + kept - freed

    def ready(self, done: int) -> list[int]:
        return [b for b in range(len(self.ops))
                if not done >> b & 1 and self.preds[b] & ~done == 0]


def _build_model(graph: Graph, hints: dict[int, MemoryHints],
                 scope: ArenaScope = CALLER_IO) -> _Model:
    ops = [op.index for op in graph.operators]
    bit_of = {index: bit for bit, index in enumerate(ops)}
    end_bit = 1 << len(ops)  # a reader that never runs: graph outputs in the arena stay live
    arena = arena_tensors(graph, scope)
    aliases = alias_sources(graph, hints, scope)
    group_of: dict[int, int] = {}
    group_size: list[int] = []
    producer_bit: dict[int, int] = {}
    initial: list[int] = []  # groups of graph inputs in the arena: resident from the start

    def add(t: int) -> int | None:
        src = aliases.get(t)
        if src is not None and src not in group_of:
            return None  # alias of a caller buffer or constant: outside the arena
        if src is not None:
            g = group_of[t] = group_of[src]
            group_size[g] = max(group_size[g], graph.tensors[t].nbytes)
            return None
        group_of[t] = len(group_size)
        group_size.append(graph.tensors[t].nbytes)
        return group_of[t]

    for t in graph.inputs:
        if t in arena and t not in group_of:
            initial.append(add(t))  # type: ignore[arg-type]
    created: list[list[int]] = [[] for _ in ops]
    for op in graph.operators:
        for t in op.outputs:
            producer_bit[t] = bit_of[op.index]
            if t in arena:
                g = add(t)
                if g is not None:
                    created[bit_of[op.index]].append(g)
    readers = [0] * len(group_size)
    for t in graph.outputs:
        if t in group_of:
            readers[group_of[t]] |= end_bit
    preds = [0] * len(ops)
    for op in graph.operators:
        bit = bit_of[op.index]
        for t in op.inputs:
            if t in producer_bit:
                preds[bit] |= 1 << producer_bit[t]
            if t in group_of:
                readers[group_of[t]] |= 1 << bit
    def own_scratch(hint: MemoryHints) -> int:
        in_place_only = hint.inplace_input is not None and not hint.scratch_always
        return 0 if in_place_only else hint.scratch_bytes

    new_bytes = [sum(group_size[g] for g in created[b])
                 + own_scratch(hints.get(ops[b], NO_HINTS)) for b in range(len(ops))]
    inplace_scratch = [0] * len(ops)
    inplace: list[tuple[int, int, int] | None] = [None] * len(ops)
    for op in graph.operators:
        bit, hint = bit_of[op.index], hints.get(op.index, NO_HINTS)
        n = hint.inplace_input
        if hint.alias_input is not None or n is None or not op.outputs or n >= len(op.inputs):
            continue
        src, out = op.inputs[n], op.outputs[0]
        if src not in group_of or out not in group_of or out in aliases:
            continue
        gs, go = group_of[src], group_of[out]
        others = {group_of.get(t) for i, t in enumerate(op.inputs) if i != n and t != NO_TENSOR}
        if gs != go and gs not in others and group_size[go] <= group_size[gs]:
            inplace[bit] = (gs, group_size[go], readers[gs])
            inplace_scratch[bit] = hint.scratch_bytes - own_scratch(hint)
    reads = [sorted({group_of[t] for t in op.inputs if t in group_of})
             for op in graph.operators]
    return _Model(ops, preds, new_bytes, created, initial, inplace, group_size, readers, reads,
                  inplace_scratch)


def _peak(model: _Model, bits: Sequence[int]) -> int:
    done, resident, peak = 0, model.resident(0), 0
    for bit in bits:
        peak = max(peak, model.step(done, resident, bit))
        resident = model.after(done, resident, bit)
        done |= 1 << bit
    return peak


def _step_floor(model: _Model) -> int:
    """A lower bound for every order: the largest step counting only the operator's own input
    groups, outputs and scratch (and its in-place run when that costs less)."""
    floor = 0
    for bit in range(len(model.ops)):
        cost = model.new_bytes[bit] + sum(model.group_size[g] for g in model.reads[bit])
        inplace = model.inplace[bit]
        if inplace is not None:
            cost += min(0, model.inplace_scratch[bit] - inplace[1])
        floor = max(floor, cost)
    return floor


def order_peak(graph: Graph, hints: dict[int, MemoryHints], order: Sequence[int],
               scope: ArenaScope = CALLER_IO) -> int:
    """Peak step cost of running the operators in `order` (the scheduling model)."""
    model = _build_model(graph, hints, scope)
    bit_of = {index: bit for bit, index in enumerate(model.ops)}
    return _peak(model, [bit_of[index] for index in order])


def _greedy_bits(model: _Model) -> list[int]:
    bits: list[int] = []
    done, resident = 0, model.resident(0)
    while len(bits) < len(model.ops):
        bit = min(model.ready(done), key=lambda b: (model.step(done, resident, b),
                                                    model.after(done, resident, b), b))
        resident = model.after(done, resident, bit)
        done |= 1 << bit
        bits.append(bit)
    return bits


def greedy_order(graph: Graph, hints: dict[int, MemoryHints],
                 scope: ArenaScope = CALLER_IO) -> list[int]:
    """Run, at each step, the ready operator with the cheapest step, then the smallest resident
    set after it; ties keep graph order."""
    model = _build_model(graph, hints, scope)
    return [model.ops[bit] for bit in _greedy_bits(model)]


def exact_order(graph: Graph, hints: dict[int, MemoryHints], max_states: int = MAX_STATES,
                scope: ArenaScope = CALLER_IO) -> list[int] | None:
    """A topological order with the minimum peak step cost, or None beyond max_states sets.

    Branch and bound: the better of graph order and the greedy order is the incumbent; steps
    costing as much as it are cut, so only sets that can lead to a strictly better order are
    memoised."""
    model = _build_model(graph, hints, scope)
    n = len(model.ops)
    full = (1 << n) - 1
    incumbent = min((_peak(model, bits), bits) for bits in (list(range(n)), _greedy_bits(model)))
    bound = incumbent[0]
    if bound <= _step_floor(model):  # no order can do better: skip the search
        return [model.ops[bit] for bit in incumbent[1]]
    best: dict[int, tuple[int, int]] = {full: (0, -1)}  # done -> (peak of the rest, next bit)

    def solve(done: int, resident: int) -> int:
        if done in best:
            return best[done][0]
        if len(best) > max_states:
            raise _TooManyStates
        choice = (sys.maxsize, -1)
        for bit in model.ready(done):
            here = model.step(done, resident, bit)
            if here >= min(choice[0], bound):
                continue
            rest = solve(done | 1 << bit, model.after(done, resident, bit))
            choice = min(choice, (max(here, rest), bit))
        best[done] = choice
        return choice[0]

    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(limit, 4 * n + 100))
        found = solve(0, model.resident(0))
    except _TooManyStates:
        return None
    finally:
        sys.setrecursionlimit(limit)
    if found >= bound:
        return [model.ops[bit] for bit in incumbent[1]]
    order, done = [], 0
    while done != full:
        bit = best[done][1]
        order.append(model.ops[bit])
        done |= 1 << bit
    return order


class _TooManyStates(Exception):
    pass


def best_order(graph: Graph, hints: dict[int, MemoryHints] | None = None,
               max_states: int = MAX_STATES, scope: ArenaScope = CALLER_IO) -> list[int]:
    """The execution order with the smallest peak under the model (a topological order); graph
    order whenever nothing is strictly better."""
    hints = hints or {}
    graph_order = [op.index for op in graph.operators]
    candidate = (exact_order(graph, hints, max_states, scope)
                 or greedy_order(graph, hints, scope))
    if order_peak(graph, hints, candidate, scope) < order_peak(graph, hints, graph_order, scope):
        return candidate
    return graph_order
