"""The state area: variable tensors (an LSTM's hidden and cell state, a streaming model's
buffer) keep their values from one invoke to the next, so they live outside the arena the
memory planner reuses, in one static array of their own.

`mf_<name>_reset()` sets every state tensor to its reset value, as TFLM's
`ResetVariableTensors` does (and TFLM runs it when it allocates the tensors): an int8 tensor
to its zero point, every other type to 0 bytes. The generated invoke resets once by itself
before its first run, so a model starts from the same state as TFLM's interpreter.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import NO_TENSOR, Graph


@dataclass(frozen=True)
class StateSlot:
    tensor: int
    offset: int  # bytes into the state array
    nbytes: int
    fill: int  # the byte every element is set to by reset (0..255)


@dataclass(frozen=True)
class StateLayout:
    slots: tuple[StateSlot, ...] = ()
    size: int = 0  # bytes, a multiple of the alignment

    @property
    def offsets(self) -> dict[int, int]:
        return {slot.tensor: slot.offset for slot in self.slots}


def reset_byte(graph: Graph, tensor_index: int) -> int:
    """The byte TFLM's reset writes into every byte of the tensor."""
    tensor = graph.tensors[tensor_index]
    if tensor.dtype == "int8" and tensor.quant is not None and tensor.quant.zero_point:
        return int(tensor.quant.zero_point[0]) & 0xFF
    return 0


def layout_state(graph: Graph, alignment: int = 16) -> StateLayout:
    """Offsets of the variable tensors the operators use, in tensor order, each aligned."""
    used = sorted({t for op in graph.operators for t in (*op.inputs, *op.outputs)
                   if t != NO_TENSOR and graph.tensors[t].is_variable})
    slots, offset = [], 0
    for t in used:
        nbytes = graph.tensors[t].nbytes
        slots.append(StateSlot(t, offset, nbytes, reset_byte(graph, t)))
        offset += -(-nbytes // alignment) * alignment
    return StateLayout(tuple(slots), offset)
