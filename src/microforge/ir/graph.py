"""The IR graph: tensors and operators in execution order, with graph inputs and outputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from microforge.ir.tensor import Tensor

NO_TENSOR = -1  # an optional operator input that is absent (TFLite writes -1)


@dataclass
class Operator:
    index: int
    op_type: str  # TFLite builtin name, e.g. "CONV_2D"
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    # Builtin options as read from the file: snake_case field -> value, enums by name
    # (e.g. {"padding": "SAME", "stride_w": 2, "fused_activation_function": "RELU"}).
    # Each op module turns these into its own typed parameters in `prepare`.
    options: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    # control flow inlined from IF / WHILE (ir/control_flow.py): the operator runs only when
    # every (bool tensor, value) of `guards` holds; loop_depth > 0 inside a WHILE loop
    guards: tuple[tuple[int, bool], ...] = ()
    loop_depth: int = 0


def variable_key(options: dict[str, Any]) -> str:
    """The resource variable a VAR_HANDLE names: "container/shared_name" (TFLM matches both,
    an empty container matching any)."""

    def text(value: Any) -> str:
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value or "")

    return f"{text(options.get('container'))}/{text(options.get('shared_name'))}"


@dataclass(frozen=True)
class VariableInit:
    """One ASSIGN_VARIABLE of a constant in an init subgraph that CALL_ONCE runs."""

    key: str  # "container/shared_name" of the resource variable
    dtype: str
    data: Any  # np.ndarray, the value assigned


@dataclass
class Graph:
    name: str
    tensors: list[Tensor]
    operators: list[Operator]
    inputs: list[int]
    outputs: list[int]
    description: str = ""
    # subgraph index -> the constant assignments of that init subgraph (CALL_ONCE's)
    init_subgraphs: dict[int, tuple[VariableInit, ...]] = field(default_factory=dict)

    def tensor(self, index: int) -> Tensor:
        return self.tensors[index]

    def op_inputs(self, op: Operator) -> list[Tensor | None]:
        return [None if i == NO_TENSOR else self.tensors[i] for i in op.inputs]

    def op_outputs(self, op: Operator) -> list[Tensor]:
        return [self.tensors[i] for i in op.outputs]

    def producer(self, tensor_index: int) -> Operator | None:
        for op in self.operators:
            if tensor_index in op.outputs:
                return op
        return None

    def consumers(self, tensor_index: int) -> list[Operator]:
        return [op for op in self.operators if tensor_index in op.inputs]

    def op_types(self) -> list[str]:
        return sorted({op.op_type for op in self.operators})
