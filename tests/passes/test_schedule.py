"""Memory-aware scheduling: topological, optimal on small graphs (brute force), beats graph order."""

from __future__ import annotations

import itertools

import pytest

from microforge.memory.lifetimes import ArenaScope, build_lifetimes, check_order
from microforge.memory.schedule import best_order, exact_order, greedy_order, order_peak
from tests.memory.graphs import GraphBuilder, random_graph


def topological_orders(graph):
    ops = [op.index for op in graph.operators]
    for perm in itertools.permutations(ops):
        try:
            check_order(graph, perm)
        except ValueError:
            continue
        yield list(perm)


def branches(width: int = 3):
    """`width` branches from x, each big (1000 B) then small (10 B), joined by one op."""
    g = GraphBuilder("branches")
    inp = g.input(10)
    x = g.op([inp], 100)
    bigs = [g.op([x], 1000) for _ in range(width)]
    smalls = [g.op([b], 10) for b in bigs]
    out = g.op(smalls, 10, "CONCATENATION")
    return g.build([out])


def test_branches_run_one_at_a_time():
    graph = branches(3)
    graph_order = [op.index for op in graph.operators]
    assert order_peak(graph, {}, graph_order) == 3100
    order = best_order(graph)
    check_order(graph, order)
    assert order_peak(graph, {}, order) == 1120  # x + small + small + one big
    assert order_peak(graph, {}, greedy_order(graph, {})) == 1120


def test_graph_order_is_kept_when_nothing_is_better():
    g = GraphBuilder()
    x = g.input(10)
    a = g.op([x], 100)
    b = g.op([x], 100)
    out = g.op([a, b], 1)
    graph = g.build([out])
    assert best_order(graph) == [0, 1, 2]


@pytest.mark.parametrize("seed", range(25))
def test_exact_search_matches_brute_force(seed):
    graph, hints = random_graph(seed, n_ops=5 + seed % 3, equal_inplace=True)
    orders = list(topological_orders(graph))
    # with equal-size in-place the scheduling model is exact: it equals the planned live peak
    for order in orders[:50]:
        assert order_peak(graph, hints, order) == build_lifetimes(graph, order, hints).live_peak
    best = min(order_peak(graph, hints, order) for order in orders)
    exact = exact_order(graph, hints)
    assert exact is not None
    check_order(graph, exact)
    assert order_peak(graph, hints, exact) == best
    chosen = best_order(graph, hints)
    assert order_peak(graph, hints, chosen) == best


def test_exact_search_gives_up_beyond_the_state_budget():
    graph = branches(6)  # the best order (1150) is above the step floor (1100): it must search
    assert exact_order(graph, {}, max_states=2) is None
    assert order_peak(graph, {}, exact_order(graph, {})) == 100 + 1000 + 5 * 10


@pytest.mark.parametrize("seed", range(10))
def test_fallback_order_is_valid_and_never_worse_than_graph_order(seed):
    graph, hints = random_graph(50 + seed, n_ops=14)
    order = best_order(graph, hints, max_states=2)
    check_order(graph, order)
    graph_order = [op.index for op in graph.operators]
    assert order_peak(graph, hints, order) <= order_peak(graph, hints, graph_order)
    exact = exact_order(graph, hints)
    assert exact is not None
    assert order_peak(graph, hints, exact) <= order_peak(graph, hints, order)


def test_wide_graph_falls_back_to_greedy_and_stays_topological():
    graph = branches(24)  # 2^24 downsets: far beyond the state budget
    order = best_order(graph, {}, max_states=10_000)
    check_order(graph, order)
    assert order_peak(graph, {}, order) == 100 + 1000 + 23 * 10  # last big: x, 23 smalls


@pytest.mark.parametrize("seed", range(15))
def test_model_is_exact_with_io_in_the_arena(seed):
    scope = ArenaScope(inputs=True, outputs=True)
    graph, hints = random_graph(300 + seed, n_ops=5 + seed % 3, equal_inplace=True)
    orders = list(topological_orders(graph))
    for order in orders[:50]:
        planned = build_lifetimes(graph, order, hints, scope=scope).live_peak
        assert order_peak(graph, hints, order, scope) == planned
    best = min(order_peak(graph, hints, order, scope) for order in orders)
    assert order_peak(graph, hints, best_order(graph, hints, scope=scope), scope) == best
