"""What the custom operators TFLM registers share here (signal-library ops, detection
post-processing): the tensor counts and dtypes TFLM's Prepare checks, and their FlexBuffer
options read by name (TFLM reads the map's values by their sorted position, which is the same
field as long as every field is present; a missing or mistyped field is an error here)."""

from __future__ import annotations

import math
from typing import ClassVar

from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ops.base import OpDef

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


class CustomOp(OpDef):
    """A custom op TFLM registers (`op_type` "CUSTOM:<name>"): the tensor counts and dtypes its
    Prepare checks (`input_dtypes`, `output_dtypes`, input by input and output by output), and
    its FlexBuffer options read by name and checked."""

    input_dtypes: ClassVar[tuple[str, ...]] = ()
    output_dtypes: ClassVar[tuple[str, ...]] = ()

    @property
    def name(self) -> str:
        return self.op_type.removeprefix("CUSTOM:")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != len(self.input_dtypes) or len(op.outputs) != len(self.output_dtypes):
            return (f"needs {len(self.input_dtypes)} inputs and {len(self.output_dtypes)} "
                    f"outputs (TFLM's {self.name})")
        for kind, indices, wanted in (("input", op.inputs, self.input_dtypes),
                                      ("output", op.outputs, self.output_dtypes)):
            for position, (index, dtype) in enumerate(zip(indices, wanted, strict=True)):
                if index == NO_TENSOR:
                    return f"{kind} {position} is missing"
                have = graph.tensors[index].dtype
                if have != dtype:
                    return f"{kind} {position} is {have}; TFLM's {self.name} takes {dtype}"
        return self.option_problem(op, graph)

    def option_problem(self, op: Operator, graph: Graph) -> str | None:
        """A reason beyond tensor dtypes (e.g. an option value not implemented), or None."""
        return None

    # -- options --------------------------------------------------------------------------
    def int_option(self, op: Operator, field: str, lo: int = INT32_MIN,
                   hi: int = INT32_MAX) -> int:
        """The integer custom option `field`, checked to lie in [lo, hi]; ModelError naming
        the op and the field otherwise."""
        if field not in op.options:
            raise self.fail(op, f"custom option {field!r} is missing (TFLM's {self.name} "
                                f"needs it)")
        value = op.options[field]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(op, f"custom option {field!r} is {value!r}; it must be an integer")
        if not lo <= value <= hi:
            raise self.fail(op, f"custom option {field!r} is {value}; it must be in "
                                f"[{lo}, {hi}]")
        return value

    def bool_option(self, op: Operator, field: str) -> bool:
        if field not in op.options:
            raise self.fail(op, f"custom option {field!r} is missing (TFLM's {self.name} "
                                f"needs it)")
        value = op.options[field]
        if not isinstance(value, (bool, int)) or (not isinstance(value, bool)
                                                  and value not in (0, 1)):
            raise self.fail(op, f"custom option {field!r} is {value!r}; it must be a boolean")
        return bool(value)

    # -- shapes ---------------------------------------------------------------------------
    def rank(self, op: Operator, graph: Graph, index: int, what: str, rank: int) -> int:
        """The tensor's element count after checking its rank; ModelError otherwise."""
        t = graph.tensors[index]
        if len(t.shape) != rank:
            raise self.fail(op, f"{what} has shape {list(t.shape)}; TFLM's {self.name} needs "
                                f"rank {rank}")
        return t.num_elements

    def same_elements(self, op: Operator, graph: Graph, a: int, b: int, what: str) -> None:
        ta, tb = graph.tensors[a], graph.tensors[b]
        if ta.num_elements != tb.num_elements:
            raise self.fail(op, f"{what}: shapes {list(ta.shape)} and {list(tb.shape)} differ")

    def float_option(self, op: Operator, field: str, lo: float = -math.inf,
                     hi: float = math.inf) -> float:
        """The number custom option `field` (an integer is taken as a float, as FlexBuffers'
        AsFloat does), checked to lie in [lo, hi]; ModelError naming the op and field."""
        if field not in op.options:
            raise self.fail(op, f"custom option {field!r} is missing (TFLM's {self.name} "
                                f"needs it)")
        value = op.options[field]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(op, f"custom option {field!r} is {value!r}; it must be a number")
        if not lo <= float(value) <= hi:
            raise self.fail(op, f"custom option {field!r} is {value}; it must be in "
                                f"[{lo:g}, {hi:g}]")
        return float(value)

