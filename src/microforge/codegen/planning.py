"""Memory planning for codegen: a thin call into `microforge.memory.plan_graph_memory`."""

from __future__ import annotations

from microforge.ir.graph import Graph
from microforge.memory import MemoryPlan, plan_graph_memory
from microforge.ops.base import MemoryHints


def plan_memory(graph: Graph, hints: dict[int, MemoryHints], alignment: int = 16,
                inputs_in_arena: bool = False, outputs_in_arena: bool = False) -> MemoryPlan:
    """Arena offsets for every intermediate tensor and scratch buffer, and the execution order
    (the planner may reorder operators to lower the peak). Graph inputs and outputs stay in the
    caller's buffers unless inputs_in_arena / outputs_in_arena."""
    return plan_graph_memory(graph, hints, None, alignment=alignment,
                             inputs_in_arena=inputs_in_arena,
                             outputs_in_arena=outputs_in_arena)
