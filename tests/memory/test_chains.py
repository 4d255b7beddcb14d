"""Chained in-place runs: buffers that share one offset and keep their own sizes (a shrinking
run frees the rest, a growing one holds its input at its start): the placement rules, the live
bytes, build_lifetimes(chained=True) and the plan on graphs, checked by the token simulation."""

from __future__ import annotations

import random

import pytest

from microforge.memory.buffers import Buffer, Placement, check_placement, max_live_bytes
from microforge.memory.greedy import place_in_order
from microforge.memory.lifetimes import build_lifetimes
from microforge.memory.plan import plan_graph_memory
from microforge.ops.base import MemoryHints
from tests.memory.graphs import GraphBuilder, simulate

GROWS = MemoryHints(inplace_input=0, scratch_bytes=4, inplace_grows=True)
SHRINKS = MemoryHints(inplace_input=0)


def test_a_chain_shares_one_offset_and_counts_its_biggest_member():
    small, big = Buffer("a", 100, 0, 2, "c"), Buffer("b", 300, 2, 4, "c")
    other = Buffer("x", 50, 1, 3)
    ok = Placement({"a": 0, "b": 0, "x": 304}, 354)
    assert check_placement([small, big, other], ok).ok
    apart = Placement({"a": 0, "b": 112, "x": 416}, 466)
    assert "one chain at offsets 0 and 112" in str(check_placement([small, big, other], apart))
    # at the handover (position 2) the chain holds 300 bytes, not 400
    assert max_live_bytes([small, big, other]) == 350


def test_greedy_places_a_chain_where_every_member_fits():
    early = Buffer("early", 64, 0, 0)  # beside the chain's first member only
    late = Buffer("late", 32, 3, 3)  # beside its last member only
    members = [Buffer("m0", 48, 0, 1, "c"), Buffer("m1", 96, 1, 2, "c"),
               Buffer("m2", 16, 2, 3, "c")]
    placement = place_in_order([early, late, *members], 16)
    assert {placement.offsets[m.key] for m in members} == {64}  # above `early`
    assert check_placement([early, late, *members], placement, 16).ok
    assert placement.peak == 64 + 96


def _run(grow: int = 3) -> tuple[GraphBuilder, list[int]]:
    """x -> a (100) -> b (grow * 100, grows in place) -> c (50, shrinks in place) -> d."""
    g = GraphBuilder()
    x = g.input(40)
    a = g.op([x], 100)
    b = g.op([a], grow * 100, "EXPAND", GROWS)
    c = g.op([b], 50, "SHRINK", SHRINKS)
    d = g.op([c], 80)
    return g, [x, a, b, c, d]


def test_chained_lifetimes_keep_each_size_and_let_outputs_grow():
    g, (x, a, b, c, d) = _run()
    graph = g.build([d])
    merged = build_lifetimes(graph, [0, 1, 2, 3], g.hints)
    assert merged.inplace == {2: (b, c)}  # the growing run is refused without chains
    chained = build_lifetimes(graph, [0, 1, 2, 3], g.hints, chained=True)
    assert chained.inplace == {1: (a, b), 2: (b, c)}
    sizes = {b_.key: (b_.size, b_.chain) for b_ in chained.buffers if isinstance(b_.key, int)}
    assert sizes[a][0] == 100 and sizes[b][0] == 300 and sizes[c][0] == 50
    assert sizes[a][1] == sizes[b][1] == sizes[c][1] is not None
    assert d not in sizes  # the graph output: the caller's buffer
    no_grow = {1: MemoryHints(inplace_input=0, scratch_bytes=4), 2: SHRINKS}
    assert build_lifetimes(graph, [0, 1, 2, 3], no_grow, chained=True).inplace == {2: (b, c)}


def test_the_plan_takes_the_chains_when_smaller_and_is_valid():
    g, (x, a, b, c, d) = _run()
    graph = g.build([d])
    plan = plan_graph_memory(graph, g.hints, alignment=16)
    assert plan.inplace == {1: (a, b), 2: (b, c)}
    assert plan.tensor_offsets[a] == plan.tensor_offsets[b] == plan.tensor_offsets[c]
    # peak: b (300) + the expand's scratch (4 -> 16), not a + b (400)
    assert plan.arena_size == 320
    simulate(graph, g.hints, plan)


@pytest.mark.parametrize("seed", range(40))
def test_random_graphs_with_growing_runs_plan_validly(seed: int):
    """Random chains of growing / shrinking / plain ops with side branches: every plan passes
    the token simulation, and is never bigger than without growing runs."""
    rng = random.Random(seed)
    g = GraphBuilder(f"chains{seed}")
    live = [g.input(rng.randint(8, 64))]
    for _ in range(rng.randint(3, 10)):
        src = rng.choice(live)
        top = g.tensors[src].nbytes
        roll = rng.random()
        if roll < 0.35:
            out = g.op([src], top * rng.randint(2, 4), "EXPAND", GROWS)
        elif roll < 0.7:
            out = g.op([src], rng.randint(1, top), "SHRINK", SHRINKS)
        else:
            inputs = [src] + ([rng.choice(live)] if rng.random() < 0.3 else [])
            out = g.op(inputs, rng.randint(1, 256))
        live.append(out)
    graph = g.build([live[-1]])
    plan = plan_graph_memory(graph, g.hints, alignment=rng.choice([1, 4, 16]))
    simulate(graph, g.hints, plan)
    flat = {i: MemoryHints(inplace_input=h.inplace_input, scratch_bytes=h.scratch_bytes)
            for i, h in g.hints.items()}
    assert plan.arena_size <= plan_graph_memory(graph, flat, alignment=plan.alignment).arena_size
