"""The EmitContext codegen offers op modules: constants, tensor pointers, kernel calls."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from microforge.c_literals import c_float, c_int
from microforge.codegen.state import StateLayout
from microforge.codegen.variants import select
from microforge.ir.graph import NO_TENSOR, Graph
from microforge.ir.tensor import DTYPE_C
from microforge.targets.features import HOST, CoreFeatures

_NUMPY_C = {
    "float32": "float", "int8": "int8_t", "uint8": "uint8_t", "int16": "int16_t",
    "int32": "int32_t", "int64": "int64_t", "bool": "uint8_t", "uint32": "uint32_t",
    "uint64": "uint64_t", "uint16": "uint16_t",
}


@dataclass
class ConstArray:
    symbol: str
    c_type: str
    values: np.ndarray  # flat

    @property
    def nbytes(self) -> int:
        return int(self.values.nbytes)


@dataclass
class EmittedOp:
    op_index: int
    op_type: str
    statements: list[str] = field(default_factory=list)


class CEmitter:
    """Implements ops.base.EmitContext for one model; collects everything model.c needs."""

    def __init__(self, graph: Graph, prefix: str, tensor_offsets: dict[int, int],
                 scratch_offsets: dict[int, int], aliases: dict[int, int],
                 dedupe: bool = True, state: StateLayout | None = None,
                 features: CoreFeatures = HOST) -> None:
        self.graph = graph
        self.features = features  # the target core's: which kernel variants to call
        # equal constants share one array; the blob mode turns it off, so that the layout
        # never depends on values
        self.dedupe = dedupe
        self.prefix = prefix
        self.tensor_offsets = tensor_offsets
        self.scratch_offsets = scratch_offsets
        self.aliases = aliases  # tensor -> tensor whose memory it shares (no copy)
        self.state = state or StateLayout()  # variable tensors kept between invokes
        self.state_offsets = self.state.offsets
        self.kernels: list[str] = []
        self.variants: dict[int, str] = {}  # op index -> the variant function its call names
        self.consts: list[ConstArray] = []
        self.ops: list[EmittedOp] = []
        self.uses_math = False
        self._const_by_key: dict[tuple[str, bytes, tuple[int, ...]], str] = {}
        self._current: EmittedOp | None = None

    # -- driven by the compiler ------------------------------------------------------------
    def begin_op(self, op_index: int, op_type: str) -> None:
        self._current = EmittedOp(op_index, op_type)
        self.ops.append(self._current)

    def guard_current(self, condition: str) -> None:
        """Run the current operator's statements only when `condition` holds (an IF branch)."""
        assert self._current is not None
        self._current.statements = [f"if ({condition}) {{", *self._current.statements, "}"]

    # -- EmitContext ------------------------------------------------------------------------
    def use_kernel(self, name: str) -> None:
        if name not in self.kernels:
            self.kernels.append(name)

    def kernel_function(self, kernel: str, params: Any, in_place: bool = False) -> str:
        variant = select(kernel, params, self.features, in_place)
        if variant is None:
            return f"mf_{kernel}"
        if self._current is not None:
            self.variants[self._current.op_index] = variant.function
        for header in variant.headers:
            self.use_kernel(header)
        self.use_kernel(variant.source)
        return variant.function

    def const(self, hint: str, array: np.ndarray) -> str:
        array = np.ascontiguousarray(array)
        dtype = str(array.dtype)
        if dtype not in _NUMPY_C:
            raise TypeError(f"cannot emit a {dtype} constant")
        key = (dtype, array.tobytes(), array.shape)
        if self.dedupe and key in self._const_by_key:
            return self._const_by_key[key]
        base = re.sub(r"[^A-Za-z0-9_]", "_", hint)[:48].strip("_") or "const"
        symbol = f"{self.prefix}_{base}_{len(self.consts)}"
        values = array.reshape(-1)
        if values.size == 0:
            values = np.zeros(1, dtype=array.dtype)
        self.consts.append(ConstArray(symbol, _NUMPY_C[dtype], values))
        self._const_by_key[key] = symbol
        return symbol

    def ptr(self, tensor_index: int) -> str:
        if tensor_index == NO_TENSOR:
            return "NULL"
        graph = self.graph
        tensor = graph.tensors[tensor_index]
        c_type = DTYPE_C[tensor.dtype]
        if tensor_index in graph.outputs and tensor_index not in self.tensor_offsets:
            return f"output{graph.outputs.index(tensor_index)}"
        if tensor_index in graph.inputs and tensor_index not in self.tensor_offsets:
            return f"input{graph.inputs.index(tensor_index)}"
        if tensor.is_constant:
            assert tensor.data is not None
            return self.const(f"t{tensor_index}", tensor.data)
        if tensor_index in self.state_offsets:
            return f"(({c_type} *)({self.prefix}_state + {self.state_offsets[tensor_index]}))"
        if tensor_index in self.tensor_offsets:
            return self._arena_ptr(c_type, self.tensor_offsets[tensor_index])
        if tensor_index in self.aliases:
            source = self.aliases[tensor_index]
            inner = self.ptr(source)
            if DTYPE_C[graph.tensors[source].dtype] == c_type:
                return inner
            return f"(({c_type} *){inner})"
        raise KeyError(f"tensor {tensor_index} has no storage in the memory plan")

    def scratch(self) -> str:
        assert self._current is not None
        offset = self.scratch_offsets[self._current.op_index]
        return f"((void *)({self.prefix}_arena + {offset}))"

    def call(self, statement: str) -> None:
        assert self._current is not None
        self._current.statements.append(statement)

    def once_flag(self) -> str:
        assert self._current is not None
        return f"({self.prefix}_state + {self.state.once_offset(self._current.op_index)})"

    def op_state(self, c_type: str) -> str:
        assert self._current is not None
        offset = self.state.op_state_offset(self._current.op_index)
        return f"(({c_type} *)({self.prefix}_state + {offset}))"

    # -- helpers ----------------------------------------------------------------------------
    def _arena_ptr(self, c_type: str, offset: int) -> str:
        return f"(({c_type} *)({self.prefix}_arena + {offset}))"

    def weight_bytes(self) -> int:
        return sum(c.nbytes for c in self.consts)


def format_c_array(values: np.ndarray, c_type: str, per_line: int = 16) -> str:
    """Comma-separated C initializer for a flat numpy array (floats exact as hex-free decimal)."""
    if c_type == "float":
        items = [c_float(float(v)) for v in values]
    elif c_type == "int32_t":
        items = [c_int(v) for v in values]
    elif c_type in ("uint32_t", "uint64_t"):
        suffix = "u" if c_type == "uint32_t" else "ull"
        items = [f"{int(v)}{suffix}" for v in values]
    else:
        items = [str(int(v)) for v in values]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return ",\n    ".join(lines)


