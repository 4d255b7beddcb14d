"""The contract every op module fulfils, and the registry that finds them.

One op, one module (`ops/conv2d.py`): shape check, compile-time `prepare` (multipliers,
shifts, padding, activation ranges, all in Python), `cost`, memory hints and C emission.
The C body lives in `runtime/kernels/<kernel>.c` with its own `<kernel>.h`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np

from microforge.errors import ModelError
from microforge.ir.graph import Graph, Operator
from microforge.registry import Registry


@dataclass(frozen=True)
class Cost:
    macs: int = 0
    weight_bytes: int = 0  # constant data this op reads from flash
    scratch_bytes: int = 0  # temporary RAM this op needs while it runs


@dataclass(frozen=True)
class MemoryHints:
    """How the planner may place this op's output.

    alias_input: the output IS input N's memory (RESHAPE, SQUEEZE...): no copy, no new buffer.
    inplace_input: the output may overwrite input N's buffer when N dies at this op
        (elementwise ops; depthwise conv with a small scratch).
    scratch_bytes: temporary buffer live only during this op. With inplace_input it serves
        only the in-place run (planned only when the in-place run is granted) unless
    scratch_always: the scratch is needed whether or not the op runs in place.
    inplace_grows: with inplace_input, the output may also be bigger than input N: the input
        then fills the start of the output's memory (the kernel writes from the end).
    inplace_chained: the in-place run is planned only as a chained run (memory/lifetimes.py),
        which the planner takes only when it lowers the arena.
    ordered: the op has side effects on shared state (resource variables): graph order is kept.
    """

    alias_input: int | None = None
    inplace_input: int | None = None
    scratch_bytes: int = 0
    scratch_always: bool = False
    inplace_grows: bool = False
    inplace_chained: bool = False
    # the op reads or writes state other ops also touch (resource variables): the planner
    # keeps the graph's order of execution rather than reordering for a lower peak
    ordered: bool = False


class EmitContext(Protocol):
    """What codegen offers an op while it writes its C call (implemented in codegen/)."""

    def use_kernel(self, name: str) -> None:
        """Include runtime/kernels/<name>.c and <name>.h in the output."""

    def kernel_function(self, kernel: str, params: Any, in_place: bool = False) -> str:
        """The C function to call for `kernel` (e.g. "conv2d_s8_1x1"): `mf_<kernel>`, or the
        variant codegen/variants.py chooses for the target core and these params (its source is
        included). Call use_kernel for the portable kernel's own source as well."""

    def const(self, hint: str, array: np.ndarray) -> str:
        """Emit `array` as a const (flash) C array; returns its symbol. dtype decides the C type."""

    def ptr(self, tensor_index: int) -> str:
        """C expression for a typed pointer to the tensor's data (arena, const or I/O buffer)."""

    def scratch(self) -> str:
        """C expression (void *) for this op's scratch buffer (size from MemoryHints)."""

    def call(self, statement: str) -> None:
        """Append one C statement (e.g. `mf_conv2d_s8(...);`) to the invoke function."""

    def once_flag(self) -> str:
        """C expression (uint8_t *) for this CALL_ONCE's has-run flag in the state area."""

    def op_state(self, c_type: str) -> str:
        """C expression (`c_type *`) for this op's own state in the state area (the
        `state_bytes` the op asked for, aligned, cleared to 0 by reset)."""


class OpDef:
    """Base class of op modules. Subclasses set `op_type` and override what they need."""

    op_type: ClassVar[str] = ""
    # activation dtypes this module implements (docs/ops.md and `microforge ops` list them);
    # "int16" means int16 activations with int8 weights (TFLite's 16x8 scheme)
    dtypes: ClassVar[tuple[str, ...]] = ()
    # fused ops (MF_*) made by a pass: the builtin ops they replace, in graph order
    fuses: ClassVar[tuple[str, ...]] = ()

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        """None when this op/dtype combination is implemented, else a short reason."""
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        """Raise ModelError (naming the op) when the tensors' shapes are inconsistent."""

    def prepare(self, op: Operator, graph: Graph) -> Any:
        """Compile-time parameters (a dataclass) used by cost() and emit()."""
        return None

    def cost(self, op: Operator, graph: Graph, params: Any) -> Cost:
        return Cost()

    def memory(self, op: Operator, graph: Graph, params: Any) -> MemoryHints:
        return MemoryHints()

    def state_bytes(self, op: Operator, graph: Graph) -> int:
        """Bytes of state the op keeps from one invoke to the next (in the state area, cleared
        to 0 by mf_<name>_reset()); 0 for a stateless op. Called after check_shapes."""
        return 0

    def emit(self, op: Operator, graph: Graph, params: Any, ctx: EmitContext) -> None:
        raise NotImplementedError(self.op_type)

    # -- helpers for subclasses -------------------------------------------------------------
    def fail(self, op: Operator, message: str) -> ModelError:
        return ModelError(f"operator {op.index} ({op.op_type}): {message}")


def _load_all() -> None:
    """Import every module of microforge.ops once so their @register decorators run."""
    import importlib
    import pkgutil

    import microforge.ops as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name not in {"base", "quant"} and not info.name.startswith("_"):
            importlib.import_module(f"microforge.ops.{info.name}")


# TFLite builtin op names (and the compiler's fused MF_* ops) -> their one instance
OPS: Registry[OpDef] = Registry("operator", load=_load_all)


def register(cls: type[OpDef]) -> type[OpDef]:
    """Class decorator: make the op available to the compiler under `cls.op_type`."""
    if not cls.op_type:
        raise TypeError(f"{cls.__name__} has no op_type")
    OPS.register(cls.op_type, cls())
    return cls


def get_op(op_type: str) -> OpDef | None:
    return OPS.find(op_type)


def registered_ops() -> list[str]:
    return sorted(OPS.names())
