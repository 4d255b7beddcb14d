"""VAR_HANDLE, READ_VARIABLE, ASSIGN_VARIABLE and CALL_ONCE, shared: TFLite's resource
variables (the pattern of streaming models: a tf.Variable assigned at every invoke, initialised
once by an init subgraph). A variable is a slot of the model's state area (codegen/state.py),
keyed by container and shared name; every VAR_HANDLE tensor of it points at that slot, so the
handle needs no memory and READ/ASSIGN are copies. All four run in graph order (they have side
effects on shared state: MemoryHints.ordered)."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ir.resources import resource_variables
from microforge.ops.base import MemoryHints, OpDef

ORDERED = MemoryHints(ordered=True)


def handle_problem(graph: Graph, handle: int) -> str | None:
    """Why a READ/ASSIGN's first input is not a VAR_HANDLE's handle, or None."""
    producer = graph.producer(handle)
    if graph.tensors[handle].dtype != "resource" or producer is None or \
            producer.op_type != "VAR_HANDLE":
        return "its variable is not a VAR_HANDLE's resource tensor"
    return None


def handles_by_key(graph: Graph) -> dict[str, int]:
    """Variable key -> a VAR_HANDLE tensor of the main graph that names it (used ones only)."""
    return {key: v.handles[0] for key, v in resource_variables(graph).items()}


class ResourceOp(OpDef):
    def memory(self, op: Operator, graph: Graph, params: object) -> MemoryHints:
        return ORDERED
