"""The state area: what a model keeps from one invoke to the next, outside the arena the memory
planner reuses, in one static array of its own:

- variable tensors (`is_variable`: an LSTM's hidden and cell state, an SVDF's memory);
- resource variables (VAR_HANDLE / READ_VARIABLE / ASSIGN_VARIABLE, keyed by container and
  shared name): every VAR_HANDLE handle tensor of a variable points at the variable's slot;
- one flag per CALL_ONCE, set once its init subgraph's assignments have run;
- an operator's own state (`OpDef.state_bytes`, e.g. the noise estimate of TFLM's
  SignalFilterBankSpectralSubtraction, which TFLM keeps in a persistent buffer and its
  Reset clears to 0 bytes).

`mf_<name>_reset()` sets the variable tensors and resource variables to their reset value, as
TFLM's `ResetVariableTensors` and `MicroResourceVariables::ResetAll` do (an int8 tensor to its
zero point, a quantized resource to its zero point, everything else to 0 bytes), and TFLM runs
it when it allocates the tensors: the generated invoke resets once by itself before its first
run. Like TFLM, reset does not clear the CALL_ONCE flags (its `has_run` survives a reset).
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import NO_TENSOR, Graph
from microforge.ir.resources import resource_variables
from microforge.ops.base import get_op


@dataclass(frozen=True)
class StateSlot:
    name: str  # for the generated comment
    offset: int  # bytes into the state array
    nbytes: int
    fill: int  # the byte reset writes into every byte (0..255)
    tensors: tuple[int, ...] = ()  # tensors whose data this slot is
    reset: bool = True  # False: a CALL_ONCE flag, which reset keeps


@dataclass(frozen=True)
class StateLayout:
    slots: tuple[StateSlot, ...] = ()
    size: int = 0  # bytes, a multiple of the alignment
    once_flags: tuple[tuple[int, int], ...] = ()  # (CALL_ONCE operator index, flag offset)
    resources: tuple[tuple[str, int], ...] = ()  # (variable key, offset)
    op_states: tuple[tuple[int, int], ...] = ()  # (operator index, offset of its own state)

    @property
    def offsets(self) -> dict[int, int]:
        return {t: slot.offset for slot in self.slots for t in slot.tensors}

    def resource_offset(self, key: str) -> int | None:
        return dict(self.resources).get(key)

    def once_offset(self, op_index: int) -> int:
        return dict(self.once_flags)[op_index]

    def op_state_offset(self, op_index: int) -> int:
        return dict(self.op_states)[op_index]


def reset_byte(graph: Graph, tensor_index: int) -> int:
    """The byte TFLM's ResetVariableTensors writes into every byte of a variable tensor."""
    tensor = graph.tensors[tensor_index]
    if tensor.dtype == "int8" and tensor.quant is not None and tensor.quant.zero_point:
        return int(tensor.quant.zero_point[0]) & 0xFF
    return 0


def _resource_byte(graph: Graph, tensor_index: int) -> int:
    """MicroResourceVariables' default value: the zero point (as int8) of a quantized tensor."""
    tensor = graph.tensors[tensor_index]
    if tensor.quant is not None and tensor.quant.zero_point:
        return int(tensor.quant.zero_point[0]) & 0xFF
    return 0


def layout_state(graph: Graph, alignment: int = 16) -> StateLayout:
    """Slots for the variable tensors (tensor order), the resource variables (first use) and
    the CALL_ONCE flags, each aligned."""
    slots: list[StateSlot] = []
    resources: list[tuple[str, int]] = []
    once: list[tuple[int, int]] = []
    offset = 0

    def add(name: str, nbytes: int, fill: int, tensors: tuple[int, ...] = (),
            reset: bool = True) -> int:
        nonlocal offset
        start = offset
        slots.append(StateSlot(name, start, nbytes, fill, tensors, reset))
        offset += -(-max(nbytes, 1) // alignment) * alignment
        return start

    variables = sorted({t for op in graph.operators for t in (*op.inputs, *op.outputs)
                        if t != NO_TENSOR and graph.tensors[t].is_variable})
    for t in variables:
        add(graph.tensors[t].name, graph.tensors[t].nbytes, reset_byte(graph, t), (t,))
    for key, variable in resource_variables(graph).items():
        nbytes = graph.tensors[variable.value].nbytes
        fill = _resource_byte(graph, variable.value)
        resources.append((key, add(f"resource variable {key}", nbytes, fill, variable.handles)))
    for op in graph.operators:
        if op.op_type == "CALL_ONCE":
            once.append((op.index, add(f"CALL_ONCE {op.index} has run", 1, 0, reset=False)))
    op_states: list[tuple[int, int]] = []
    for op in graph.operators:
        opdef = get_op(op.op_type)
        nbytes = opdef.state_bytes(op, graph) if opdef is not None else 0
        if nbytes:
            op_states.append((op.index, add(f"{op.op_type} {op.index} state", nbytes, 0)))
    return StateLayout(tuple(slots), offset, tuple(once), tuple(resources), tuple(op_states))
