"""The markers of an inlined WHILE loop (ir/control_flow.py): MF_LOOP_BEGIN opens
`for (;;) {` (inside `if (guards) {` when the WHILE sits in an IF branch), MF_LOOP_BREAK leaves
the loop when the condition subgraph's boolean is false, MF_LOOP_STORE writes the body's
results into the loop variables (through a scratch: a body result may be a view of another
loop variable), MF_LOOP_END closes the loop and reads every tensor of it, so the planner keeps
them all live over the whole loop. All of them pin the graph order (MemoryHints.ordered)."""

from __future__ import annotations

from typing import ClassVar

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, MemoryHints, OpDef, register
from microforge.ops.control_flow_common import guard_condition

ORDERED = MemoryHints(ordered=True)


class LoopMarker(OpDef):
    dtypes: ClassVar[tuple[str, ...]] = ("float32", "int8", "int16", "int32", "int64", "bool")

    def memory(self, op: Operator, graph: Graph, params: object) -> MemoryHints:
        return ORDERED


@register
class LoopBegin(LoopMarker):
    op_type = "MF_LOOP_BEGIN"

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        condition = guard_condition(op, ctx)
        ctx.call("for (;;) {" if condition is None else f"if ({condition}) {{ for (;;) {{")


@register
class LoopBreak(LoopMarker):
    op_type = "MF_LOOP_BREAK"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        return None if len(op.inputs) == 1 else "needs the loop condition"

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        ctx.call(f"if (!*{ctx.ptr(op.inputs[0])}) {{ break; }}")


@register
class LoopStore(LoopMarker):
    op_type = "MF_LOOP_STORE"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        return None if len(op.inputs) % 2 == 0 and op.inputs else "needs results and variables"

    def memory(self, op: Operator, graph: Graph, params: object) -> MemoryHints:
        n = len(op.inputs) // 2
        total = sum(graph.tensors[t].nbytes for t in op.inputs[:n])
        return MemoryHints(scratch_bytes=total, ordered=True)

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        n = len(op.inputs) // 2
        results, variables = op.inputs[:n], op.inputs[n:]
        scratch = f"((unsigned char *){ctx.scratch()})"
        offset = 0
        for source in results:
            size = graph.tensors[source].nbytes
            ctx.call(f"memcpy({scratch} + {offset}, {ctx.ptr(source)}, {size});")
            offset += size
        offset = 0
        for target in variables:
            size = graph.tensors[target].nbytes
            ctx.call(f"memcpy({ctx.ptr(target)}, {scratch} + {offset}, {size});")
            offset += size


@register
class LoopEnd(LoopMarker):
    op_type = "MF_LOOP_END"

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        ctx.call("}" if not op.guards else "} }")
