"""Lifetimes: spans, alias groups, in-place rules, scratch buffers, order validation."""

from __future__ import annotations

import pytest

from microforge.memory.lifetimes import (
    ArenaScope,
    arena_tensors,
    build_lifetimes,
    check_order,
    scratch_key,
    tensor_spans,
)
from microforge.ops.base import MemoryHints
from tests.memory.graphs import GraphBuilder

ALIAS = MemoryHints(alias_input=0)
INPLACE = MemoryHints(inplace_input=0)


def buffers_by_key(lifetimes):
    return {b.key: (b.size, b.first, b.last) for b in lifetimes.buffers}


def test_chain_spans_exclude_inputs_outputs_and_constants():
    g = GraphBuilder()
    x = g.input(10)
    w = g.tensor(99, constant=True)
    a = g.op([x, w], 100)
    b = g.op([a], 50)
    out = g.op([b], 5)
    graph = g.build([out])
    assert arena_tensors(graph) == {a, b}
    lt = build_lifetimes(graph, [0, 1, 2], {})
    assert buffers_by_key(lt) == {a: (100, 0, 1), b: (50, 1, 2)}
    assert lt.no_reuse_peak == 150 == lt.live_peak


def test_dead_output_lives_only_at_its_producer():
    g = GraphBuilder()
    x = g.input(10)
    dead = g.op([x], 40)
    out = g.op([x], 5)
    lt = build_lifetimes(g.build([out]), [0, 1], {})
    assert buffers_by_key(lt) == {dead: (40, 0, 0)}


def test_alias_chain_shares_one_buffer_until_the_last_reader():
    g = GraphBuilder()
    x = g.input(10)
    a = g.op([x], 64)
    r1 = g.op([a], 64, "RESHAPE", ALIAS)
    r2 = g.op([r1], 64, "RESHAPE", ALIAS)
    b = g.op([r2], 8)
    out = g.op([a, b], 8)  # a is read again at the end
    graph = g.build([out])
    lt = build_lifetimes(graph, [0, 1, 2, 3, 4], g.hints)
    assert buffers_by_key(lt) == {a: (64, 0, 4), b: (8, 3, 4)}
    assert lt.tensor_buffer[r1] == lt.tensor_buffer[r2] == a
    assert lt.aliases == {r1: a, r2: r1}
    assert lt.no_reuse_peak == 64 * 3  # without aliasing a, r1, r2 coexist at position 2


def test_alias_of_a_graph_input_is_outside_the_arena_and_alias_to_output_is_a_copy():
    g = GraphBuilder()
    x = g.input(32)
    r = g.op([x], 32, "RESHAPE", ALIAS)
    a = g.op([r], 32)
    out = g.op([a], 32, "RESHAPE", ALIAS)  # output: its own (caller's) buffer, op copies
    lt = build_lifetimes(g.build([out]), [0, 1, 2], g.hints)
    assert set(lt.tensor_buffer) == {a}
    assert lt.aliases == {}


def test_inplace_merges_when_the_input_dies_at_the_op():
    g = GraphBuilder()
    x = g.input(10)
    a = g.op([x], 100)
    b = g.op([a], 100, "RELU", INPLACE)
    c = g.op([b], 10)
    out = g.op([c], 1)
    lt = build_lifetimes(g.build([out]), [0, 1, 2, 3], g.hints)
    assert lt.inplace == {1: (a, b)}
    assert buffers_by_key(lt) == {a: (100, 0, 2), c: (10, 2, 3)}
    assert lt.live_peak == 110 and lt.no_reuse_peak == 200
    assert build_lifetimes(g.build([out]), [0, 1, 2, 3], g.hints, inplace=False).inplace == {}


def test_inplace_with_smaller_output_keeps_the_input_size():
    g = GraphBuilder()
    x = g.input(10)
    a = g.op([x], 100)
    b = g.op([a], 60, "DEPTHWISE", MemoryHints(inplace_input=0, scratch_bytes=12))
    out = g.op([b], 1)
    lt = build_lifetimes(g.build([out]), [0, 1, 2], g.hints)
    assert buffers_by_key(lt) == {a: (100, 0, 2), scratch_key(1): (12, 1, 1)}


@pytest.mark.parametrize("case", ["read_later", "graph_input", "bigger_output", "same_tensor_twice",
                                  "alias_read_later", "output_is_graph_output"])
def test_inplace_is_refused_when_unsafe(case):
    g = GraphBuilder()
    x = g.input(100)
    a = g.op([x], 100)
    if case == "read_later":
        b = g.op([a], 100, "RELU", INPLACE)
        out = g.op([a, b], 1)
    elif case == "graph_input":
        b = g.op([x], 100, "RELU", INPLACE)
        out = g.op([a, b], 1)
    elif case == "bigger_output":
        b = g.op([a], 101, "PAD", INPLACE)
        out = g.op([b], 1)
    elif case == "same_tensor_twice":
        b = g.op([a, a], 100, "MUL", INPLACE)
        out = g.op([b], 1)
    elif case == "alias_read_later":
        r = g.op([a], 100, "RESHAPE", ALIAS)
        b = g.op([a], 100, "RELU", INPLACE)
        out = g.op([r, b], 1)
    else:
        out = g.op([a], 100, "RELU", INPLACE)
    graph = g.build([out])
    lt = build_lifetimes(graph, [op.index for op in graph.operators], g.hints)
    assert lt.inplace == {}
    assert len({lt.tensor_buffer[t] for t in lt.tensor_buffer}) == len(lt.tensor_buffer) - (
        1 if case == "alias_read_later" else 0)


def test_inplace_depends_on_the_order():
    g = GraphBuilder()
    x = g.input(10)
    a = g.op([x], 100)
    b = g.op([a], 100, "RELU", INPLACE)
    p = g.op([a], 10)
    out = g.op([b, p], 1)
    graph = g.build([out])
    assert build_lifetimes(graph, [0, 1, 2, 3], g.hints).inplace == {}
    assert build_lifetimes(graph, [0, 2, 1, 3], g.hints).inplace == {1: (a, b)}


def test_bad_orders_and_bad_hints_are_rejected():
    g = GraphBuilder()
    x = g.input(10)
    a = g.op([x], 10)
    out = g.op([a], 10)
    graph = g.build([out])
    with pytest.raises(ValueError, match="before tensor"):
        check_order(graph, [1, 0])
    with pytest.raises(ValueError, match="not a permutation"):
        check_order(graph, [0])
    with pytest.raises(ValueError, match="inplace_input 3"):
        build_lifetimes(graph, [0, 1], {1: MemoryHints(inplace_input=3)})
    with pytest.raises(ValueError, match="alias_input 2"):
        build_lifetimes(graph, [0, 1], {0: MemoryHints(alias_input=2)})


def test_graph_output_in_the_arena_is_never_overwritten_in_place():
    g = GraphBuilder()
    x = g.input(10)
    a = g.op([x], 100)  # a graph output, read by the last op
    out = g.op([a], 100, "RELU", INPLACE)
    graph = g.build([a, out])
    scope = ArenaScope(inputs=True, outputs=True)
    lt = build_lifetimes(graph, [0, 1], g.hints, scope=scope)
    assert lt.inplace == {}
    assert lt.tensor_spans == {x: (0, 0), a: (0, 1), out: (1, 1)}


def test_tensor_spans_extend_io_in_the_arena():
    g = GraphBuilder()
    x = g.input(10)
    a = g.op([x], 100)
    b = g.op([a], 100)
    out = g.op([b], 100)
    graph = g.build([a, out])
    spans = tensor_spans(graph, [0, 1, 2], {x, a, b, out}, ArenaScope(outputs=True))
    assert spans == {x: (0, 0), a: (0, 2), b: (1, 2), out: (2, 2)}


def test_in_place_scratch_only_when_granted_unless_always() -> None:
    """An in-place hint's scratch is planned only with the in-place run, unless the hint says
    the op needs it either way (scratch_always, e.g. the fused residual block)."""
    from microforge.ops.base import MemoryHints

    g = GraphBuilder()
    x = g.input(10)
    a = g.op([x], 100)
    b = g.op([a], 100)  # may overwrite a: its last reader
    c = g.op([a, b], 100)  # a is read again: b cannot run in place
    graph = g.build([c])
    order = [op.index for op in graph.operators]
    for always in (False, True):
        hints = {1: MemoryHints(inplace_input=0, scratch_bytes=7, scratch_always=always)}
        lifetimes = build_lifetimes(graph, order, hints)
        assert 1 not in lifetimes.inplace
        sizes = {buf.key: buf.size for buf in lifetimes.buffers}
        assert (sizes.get(("scratch", 1)) == 7) is always
