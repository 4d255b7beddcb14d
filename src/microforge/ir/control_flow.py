"""IF and WHILE inlined into the main graph, so that planning and code generation stay a
straight sequence of operators.

IF(cond, args) becomes the operators of both branches, reading `args` in place of the branch
inputs, each guarded by `cond` (the then-branch runs when it is true, the else-branch when it is
false: `Operator.guards`), then MF_IF_MERGE(cond, then outputs, else outputs) -> the IF's
outputs, which copies the taken branch's results. Only the taken branch runs, as in TFLM.

WHILE(args) becomes, with the WHILE's outputs as the loop variables:

    MF_COPY(args) -> loop variables
    MF_LOOP_BEGIN                          for (;;) {
      condition subgraph(loop variables) -> c
    MF_LOOP_BREAK(c)                         if (!c) break;
      body subgraph(loop variables) -> new values
    MF_LOOP_STORE(new values, loop variables)  loop variables = new values
    MF_LOOP_END(every tensor of the loop)  }

MF_LOOP_END reads every tensor the loop touches, so the memory planner keeps all of them live
over the whole loop (no loop tensor shares memory with another, none is overwritten in place);
the loop markers pin the graph order (MemoryHints.ordered). Nested IF / WHILE inline the same
way (guards accumulate, `loop_depth` counts the loops). Fusion passes leave guarded and
looped operators alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from microforge.errors import ModelError
from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ir.tensor import Tensor

CONTROL_FLOW_OPS = ("IF", "WHILE")
MAX_INLINED_OPERATORS = 100_000  # a model that nests subgraphs into an explosion is refused
Guards = tuple[tuple[int, bool], ...]


def subgraph_indices(op: Operator) -> tuple[int, ...]:
    """The subgraphs an IF (then, else) or WHILE (cond, body) operator calls; () otherwise."""
    keys = {"IF": ("then_subgraph_index", "else_subgraph_index"),
            "WHILE": ("cond_subgraph_index", "body_subgraph_index")}.get(op.op_type, ())
    return tuple(int(op.options.get(key, -1)) for key in keys)


def inline_control_flow(graph: Graph, bodies: dict[int, Graph]) -> Graph:
    """`graph` with every IF / WHILE replaced by the operators of the subgraphs it calls
    (`bodies`: subgraph index -> its graph); `graph` itself when it has none."""
    if not any(op.op_type in CONTROL_FLOW_OPS for op in graph.operators):
        return graph
    inliner = _Inliner(graph, bodies)
    for op in graph.operators:
        inliner.add(op, lambda t: t, (), 0, ())
    return dataclasses.replace(graph, tensors=inliner.tensors, operators=inliner.ops)


class _Inliner:
    def __init__(self, graph: Graph, bodies: dict[int, Graph]) -> None:
        self.graph = graph
        self.bodies = bodies
        self.tensors: list[Tensor] = list(graph.tensors)
        self.ops: list[Operator] = []

    def tensor(self, index: int) -> Tensor:
        return self.tensors[index]

    def emit(self, op_type: str, inputs: Sequence[int], outputs: Sequence[int], guards: Guards,
             depth: int, source: Operator | None = None) -> None:
        if len(self.ops) >= MAX_INLINED_OPERATORS:
            raise ModelError(f"inlining IF / WHILE subgraphs gives more than "
                             f"{MAX_INLINED_OPERATORS:,} operators; the file is corrupt")
        options = dict(source.options) if source is not None else {}
        version = source.version if source is not None else 1
        self.ops.append(Operator(len(self.ops), op_type, tuple(inputs), tuple(outputs), options,
                                 version, guards, depth))

    def add(self, op: Operator, remap, guards: Guards, depth: int, stack: tuple[int, ...]) -> None:
        inputs = [NO_TENSOR if i == NO_TENSOR else remap(i) for i in op.inputs]
        outputs = [remap(o) for o in op.outputs]
        if op.op_type == "IF":
            self._if(op, inputs, outputs, guards, depth, stack)
        elif op.op_type == "WHILE":
            self._while(op, inputs, outputs, guards, depth, stack)
        else:
            self.emit(op.op_type, inputs, outputs, guards, depth, op)

    def _if(self, op: Operator, inputs: list[int], outputs: list[int], guards: Guards,
            depth: int, stack: tuple[int, ...]) -> None:
        where = "an IF operator"
        if not inputs or NO_TENSOR in inputs:
            raise ModelError(f"{where} needs a condition tensor and its arguments")
        cond, args = inputs[0], inputs[1:]
        self._check_condition(cond, where)
        then_index, else_index = subgraph_indices(op)
        then_out = self._inline(then_index, args, guards + ((cond, True),), depth, stack, where)
        else_out = self._inline(else_index, args, guards + ((cond, False),), depth, stack, where)
        for branch, results in (("then", then_out), ("else", else_out)):
            self._check_same(results, outputs, f"{where}: the {branch} branch's outputs",
                             "the IF's outputs")
        self.emit("MF_IF_MERGE", [cond, *then_out, *else_out], outputs, guards, depth)

    def _while(self, op: Operator, inputs: list[int], outputs: list[int], guards: Guards,
               depth: int, stack: tuple[int, ...]) -> None:
        where = "a WHILE operator"
        if not inputs or NO_TENSOR in inputs:
            raise ModelError(f"{where} needs its loop variables")
        self._check_same(inputs, outputs, f"{where}: its inputs", "its outputs")
        cond_index, body_index = subgraph_indices(op)
        self.emit("MF_COPY", inputs, outputs, guards, depth)
        begin = len(self.ops)
        self.emit("MF_LOOP_BEGIN", [], [], guards, depth)
        cond_out = self._inline(cond_index, outputs, guards, depth + 1, stack, where)
        if len(cond_out) != 1:
            raise ModelError(f"{where}: its condition subgraph {cond_index} has "
                             f"{len(cond_out)} outputs; it must have one boolean")
        self._check_condition(cond_out[0], f"{where}'s condition")
        self.emit("MF_LOOP_BREAK", cond_out, [], guards, depth + 1)
        body_out = self._inline(body_index, outputs, guards, depth + 1, stack, where)
        self._check_same(body_out, outputs, f"{where}: its body's outputs", "its loop variables")
        self.emit("MF_LOOP_STORE", [*body_out, *outputs], [], guards, depth + 1)
        touched = {t for o in self.ops[begin:] for t in (*o.inputs, *o.outputs)
                   if t != NO_TENSOR and not self.tensor(t).is_constant}
        self.emit("MF_LOOP_END", sorted(touched | set(outputs)), [], guards, depth)

    def _inline(self, index: int, args: Sequence[int], guards: Guards, depth: int,
                stack: tuple[int, ...], where: str) -> list[int]:
        """Append subgraph `index` on tensors `args`; its outputs (main-graph tensor indices)."""
        sub = self.bodies.get(index)
        if sub is None:
            raise ModelError(f"{where} calls subgraph {index}, which the model does not have")
        if index in stack:
            raise ModelError(f"{where}: subgraph {index} ({sub.name!r}) calls itself; recursion "
                             "is not supported")
        if len(args) != len(sub.inputs):
            raise ModelError(f"{where} passes {len(args)} tensors to subgraph {index} "
                             f"({sub.name!r}), which takes {len(sub.inputs)}")
        self._check_same(args, sub.inputs, f"{where}: its arguments",
                         f"the inputs of subgraph {index} ({sub.name!r})", sub)
        mapping = dict(zip(sub.inputs, args, strict=True))

        def remap(t: int) -> int:
            if t not in mapping:
                source = sub.tensors[t]
                mapping[t] = len(self.tensors)
                self.tensors.append(dataclasses.replace(
                    source, index=len(self.tensors), name=f"{sub.name}/{source.name}"))
            return mapping[t]

        for op in sub.operators:
            self.add(op, remap, guards, depth, (*stack, index))
        return [remap(t) for t in sub.outputs]

    def _check_condition(self, tensor: int, where: str) -> None:
        t = self.tensor(tensor)
        if t.dtype != "bool" or t.num_elements != 1:
            raise ModelError(f"{where}: the condition tensor {tensor} ({t.name[:64]!r}) is "
                             f"{t.dtype} with shape {list(t.shape)}; it must be one boolean")

    def _check_same(self, given: Sequence[int], expected: Sequence[int], what: str, against: str,
                    sub: Graph | None = None) -> None:
        """The tensors agree in count, dtype and shape (static shapes: no dynamic resizing)."""
        if len(given) != len(expected):
            raise ModelError(f"{what} are {len(given)} tensors, {against} {len(expected)}")
        for position, (a, b) in enumerate(zip(given, expected, strict=True)):
            x = self.tensor(a)
            y = sub.tensors[b] if sub is not None else self.tensor(b)
            if (x.dtype, tuple(x.shape)) != (y.dtype, tuple(y.shape)):
                raise ModelError(f"{what}: tensor {position} is {x.dtype} {list(x.shape)}, but "
                                 f"{against} has {y.dtype} {list(y.shape)} (the compiler needs "
                                 "the static shapes to agree)")
