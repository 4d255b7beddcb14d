"""Resource variables in a graph (VAR_HANDLE / READ_VARIABLE / ASSIGN_VARIABLE): which
variable each handle tensor names, and the tensor that fixes each variable's size and reset
value (the first ASSIGN_VARIABLE's value, else the first READ_VARIABLE's output: TFLM
allocates a variable at the Prepare of its first ASSIGN_VARIABLE)."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import NO_TENSOR, Graph, variable_key


@dataclass(frozen=True)
class ResourceVariable:
    key: str  # "container/shared_name"
    value: int  # the tensor that fixes its size and reset value
    handles: tuple[int, ...]  # every VAR_HANDLE tensor that names it


def resource_handles(graph: Graph) -> dict[int, str]:
    """Handle tensor (a VAR_HANDLE output) -> the key of the variable it names."""
    return {op.outputs[0]: variable_key(op.options) for op in graph.operators
            if op.op_type == "VAR_HANDLE" and len(op.outputs) == 1}


def resource_variables(graph: Graph) -> dict[str, ResourceVariable]:
    """The variables the main graph reads or assigns, in the order of their first use."""
    handles = resource_handles(graph)
    first: dict[str, int] = {}
    for kind in ("ASSIGN_VARIABLE", "READ_VARIABLE"):
        for op in graph.operators:
            if op.op_type != kind or not op.inputs or op.inputs[0] not in handles:
                continue
            value = op.inputs[1] if kind == "ASSIGN_VARIABLE" and len(op.inputs) > 1 else (
                op.outputs[0] if op.outputs else NO_TENSOR)
            if value != NO_TENSOR:
                first.setdefault(handles[op.inputs[0]], value)
    order = sorted(first, key=lambda k: min(t for t, key in handles.items() if key == k))
    return {key: ResourceVariable(key, first[key], tuple(t for t, k in handles.items()
                                                         if k == key)) for key in order}
