"""Graph + execution order + memory hints -> the buffers to place in the arena.

Rules (docs/memory.md):
- Arena tensors: tensors read or written by an operator that are neither constants (flash), nor
  variable tensors and resource handles (state kept between invokes: a separate area, never
  reused), nor graph inputs/outputs (the caller's buffers; `ArenaScope` may move those into the arena).
- A tensor lives from its producer's position to its last consumer's position (inclusive); graph
  inputs in the arena from position 0, graph outputs in the arena to the last position.
- alias_input: the output IS the input's memory; the two join one group (chains follow). An alias
  whose output is in a caller buffer is not honoured (the op copies). A group rooted in a caller
  buffer or a constant lives outside the arena and is never written.
- inplace_input: the output takes over input N's buffer when input N is an arena tensor that
  shares no memory with a graph output, the output is an arena tensor no bigger than it, no
  tensor sharing input N's memory is read at a later position, and the op reads that memory
  through no other input.
- chained (build_lifetimes): an in-place output gets its own buffer, chained to the input's
  (one offset, memory/buffers.py): each keeps its own size, so a shrinking run frees the rest
  and, with the hint's inplace_grows, the output may be bigger (the input at its start).
- scratch_bytes: a buffer live only at its op's position. With inplace_input it is the
  in-place run's scratch: planned only when the in-place is granted (unless the hint's
  `scratch_always` is true, e.g. the fused residual block).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from microforge.ir.graph import NO_TENSOR, Graph
from microforge.memory.buffers import Buffer, max_live_bytes
from microforge.ops.base import MemoryHints

NO_HINTS = MemoryHints()


def scratch_key(op_index: int) -> tuple[str, int]:
    return ("scratch", op_index)


def check_order(graph: Graph, order: Sequence[int]) -> None:
    """Raise ValueError unless `order` runs every operator once, producers before consumers."""
    indices = [op.index for op in graph.operators]
    if sorted(order) != sorted(indices):
        raise ValueError(f"graph {graph.name!r}: order {list(order)} is not a permutation of the "
                         f"operator indices {indices}")
    by_index = {op.index: op for op in graph.operators}
    available = set(graph.inputs) | {t.index for t in graph.tensors
                                     if t.is_constant or t.is_variable}
    for op_index in order:
        op = by_index[op_index]
        missing = [t for t in op.inputs if t != NO_TENSOR and t not in available]
        if missing:
            raise ValueError(f"graph {graph.name!r}: operator {op_index} ({op.op_type}) runs "
                             f"before tensor {missing[0]} it reads is produced")
        available.update(op.outputs)


@dataclass(frozen=True)
class ArenaScope:
    """Which graph I/O tensors live in the arena instead of the caller's buffers.

    inputs: the caller writes inputs into the arena before every invoke; they may then be
        overwritten in place once read (as TFLM does). outputs: they stay intact until the end.
    """

    inputs: bool = False
    outputs: bool = False

    def external(self, graph: Graph) -> set[int]:
        """Graph inputs/outputs kept in the caller's buffers."""
        result = set() if self.inputs else set(graph.inputs)
        return result | (set() if self.outputs else set(graph.outputs))


CALLER_IO = ArenaScope()


def arena_tensors(graph: Graph, scope: ArenaScope = CALLER_IO) -> set[int]:
    """Tensors an operator touches that are neither constants, nor state (variable tensors
    live in the separate state area, codegen/state.py), nor in the caller's buffers."""
    external = scope.external(graph)
    used = {t for op in graph.operators for t in (*op.inputs, *op.outputs) if t != NO_TENSOR}
    used |= set(graph.inputs) | set(graph.outputs)
    return {t for t in used if t not in external and not graph.tensors[t].is_constant
            and not graph.tensors[t].is_variable and graph.tensors[t].dtype != "resource"}


def alias_sources(graph: Graph, hints: dict[int, MemoryHints],
                  scope: ArenaScope = CALLER_IO) -> dict[int, int]:
    """Honoured aliases: output tensor -> the input tensor whose memory it is."""
    external = scope.external(graph)
    sources: dict[int, int] = {}
    for op in graph.operators:
        hint = hints.get(op.index, NO_HINTS)
        if hint.alias_input is None or not op.outputs:
            continue
        if not 0 <= hint.alias_input < len(op.inputs) or op.inputs[hint.alias_input] == NO_TENSOR:
            raise ValueError(f"operator {op.index} ({op.op_type}): alias_input "
                             f"{hint.alias_input} names no input tensor")
        if op.outputs[0] not in external:
            sources[op.outputs[0]] = op.inputs[hint.alias_input]
    return sources


def tensor_spans(graph: Graph, order: Sequence[int], tensors: set[int],
                 scope: ArenaScope = CALLER_IO) -> dict[int, tuple[int, int]]:
    """Own first/last position of each tensor: producer (graph inputs in the arena: 0) to last
    reader (graph outputs in the arena: the last position)."""
    by_index = {op.index: op for op in graph.operators}
    first: dict[int, int] = {t: 0 for t in graph.inputs if t in tensors}
    last: dict[int, int] = dict(first)
    for p, op_index in enumerate(order):
        op = by_index[op_index]
        for t in op.outputs:
            if t in tensors:
                first[t] = p
                last[t] = max(last.get(t, p), p)
        for t in op.inputs:
            if t in tensors:
                last[t] = max(last.get(t, p), p)
    end = max(len(order) - 1, 0)
    for t in graph.outputs:
        if t in tensors and scope.outputs:
            last[t] = end
    return {t: (first[t], last[t]) for t in tensors if t in first}


@dataclass
class Lifetimes:
    """The buffers of one schedule and how tensors map onto them."""

    order: list[int]
    buffers: list[Buffer]
    tensor_buffer: dict[int, Hashable]  # arena tensor -> key of the buffer holding it
    inplace: dict[int, tuple[int, int]] = field(default_factory=dict)  # op -> (input, output)
    aliases: dict[int, int] = field(default_factory=dict)  # honoured alias: output -> input
    tensor_spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # own first/last
    no_reuse_peak: int = 0  # max live bytes with every arena tensor in its own buffer

    @property
    def live_peak(self) -> int:
        return max_live_bytes(self.buffers)


class _Groups:
    """Union-find over tensors sharing memory."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, t: int) -> int:
        root = t
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        self.parent[t] = root
        return root

    def union(self, keep: int, other: int) -> None:
        self.parent[self.find(other)] = self.find(keep)


def build_lifetimes(graph: Graph, order: Sequence[int], hints: dict[int, MemoryHints],
                    inplace: bool = True, shrinking_inplace: bool = True,
                    scope: ArenaScope = CALLER_IO, chained: bool = False,
                    growing: bool = True) -> Lifetimes:
    """Buffers (tensor groups and scratch) for running the operators in `order`.

    inplace=False ignores every inplace_input hint; shrinking_inplace=False only those whose
    output is smaller than the input (the merged buffer keeps the input's size until the output
    dies, which can cost more than it saves). chained=True: an in-place output keeps its own
    buffer and size, chained to its input's (same offset), and outputs may grow where the hint
    allows it (inplace_grows) unless growing=False (a grown run can cost more elsewhere)."""
    check_order(graph, order)
    position = {op_index: p for p, op_index in enumerate(order)}
    by_index = {op.index: op for op in graph.operators}
    arena = arena_tensors(graph, scope)
    aliases = alias_sources(graph, hints, scope)
    groups = _Groups()
    outside: set[int] = set()  # aliases of caller buffers or constants: not in the arena
    for op_index in sorted(position):  # graph order is topological: sources resolve first
        for out in by_index[op_index].outputs:
            if out in aliases:
                src = aliases[out]
                if src in arena and src not in outside:
                    groups.union(src, out)
                else:
                    outside.add(out)
    own_spans = tensor_spans(graph, order, arena, scope)
    members = {t for t in arena - outside if t in own_spans}
    spans = {t: own_spans[t] for t in members}
    last = {t: span[1] for t, span in spans.items()}
    group_last: dict[int, int] = {}
    for t in members:
        root = groups.find(t)
        group_last[root] = max(group_last.get(root, -1), last[t])
    group_size: dict[int, int] = {}
    for t in members:
        root = groups.find(t)
        group_size[root] = max(group_size.get(root, 0), graph.tensors[t].nbytes)

    inplace_ops: dict[int, tuple[int, int]] = {}
    chains = _Groups()  # group roots sharing one offset (chained=True)
    for op_index in order if inplace else ():
        op = by_index[op_index]
        hint = hints.get(op_index, NO_HINTS)
        n = hint.inplace_input
        if hint.alias_input is not None or n is None or not op.outputs:
            continue
        if hint.inplace_chained and not chained:
            continue
        if not 0 <= n < len(op.inputs):
            raise ValueError(f"operator {op_index} ({op.op_type}): inplace_input {n} names no "
                             "input tensor")
        src, out = op.inputs[n], op.outputs[0]
        if src not in members or out not in members:
            continue
        src_root, out_root = groups.find(src), groups.find(out)
        other_inputs = {groups.find(t) for i, t in enumerate(op.inputs)
                        if i != n and t in members}
        kept = {groups.find(t) for t in graph.outputs if t in members}  # read after invoke
        grows = group_size[out_root] > group_size[src_root]
        if (src_root == out_root or src_root in other_inputs or src_root in kept
                or group_last[src_root] != position[op_index]
                or (grows and not (chained and growing and hint.inplace_grows))
                or (not chained and not shrinking_inplace
                    and group_size[out_root] < group_size[src_root])):
            continue
        inplace_ops[op_index] = (src, out)
        if chained:
            chains.union(src_root, out_root)
            continue
        groups.union(src_root, out_root)
        group_last[src_root] = max(group_last[src_root], group_last[out_root])

    spans_by_root: dict[int, list[int]] = {}
    for t in sorted(members):
        spans_by_root.setdefault(groups.find(t), []).append(t)
    buffers: list[Buffer] = []
    tensor_buffer: dict[int, Hashable] = {}
    chain_size: dict[int, int] = {}
    for root in spans_by_root:
        chain_size[chains.find(root)] = chain_size.get(chains.find(root), 0) + 1
    for root, tensors in spans_by_root.items():
        key = min(tensors, key=lambda t: (spans[t][0], t))
        size = max(graph.tensors[t].nbytes for t in tensors)
        begin = min(spans[t][0] for t in tensors)
        end = max(spans[t][1] for t in tensors)
        chain = chains.find(root)
        buffers.append(Buffer(key, size, begin, end,
                              ("chain", chain) if chain_size[chain] > 1 else None))
        tensor_buffer.update(dict.fromkeys(tensors, key))
    for op_index in order:
        hint = hints.get(op_index, NO_HINTS)
        scratch = hint.scratch_bytes
        if (hint.inplace_input is not None and op_index not in inplace_ops
                and not hint.scratch_always):
            scratch = 0  # an in-place op's scratch serves only the in-place run
        if scratch > 0:
            p = position[op_index]
            buffers.append(Buffer(scratch_key(op_index), scratch, p, p))
    buffers.sort(key=lambda b: (b.first, str(b.key)))

    own = [Buffer(t, graph.tensors[t].nbytes, *span) for t, span in own_spans.items()]
    honoured = {out: src for out, src in aliases.items() if out in members}
    return Lifetimes(list(order), buffers, tensor_buffer, inplace_ops, honoured, spans,
                     max_live_bytes(own))
