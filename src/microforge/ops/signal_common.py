"""What TFLM's signal-library ops (custom ops `Signal*`, the audio front end of its micro_speech
example) share here: the tensor counts and dtypes TFLM's Prepare checks, and their FlexBuffer
options read by name (TFLM reads the map's values by their sorted position, which is the same
field as long as every field is present; a missing or mistyped field is an error here)."""

from __future__ import annotations

from typing import ClassVar

from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ops.base import OpDef

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


class SignalOp(OpDef):
    """A custom op of TFLM's signal library. Subclasses set `op_type` ("CUSTOM:Signal...") and
    the dtypes TFLM's kernel takes, input by input and output by output."""

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


def signal_c_uint(value: int) -> str:
    """A uint32 field's literal (a negative int32 option converts modulo 2^32 as in C++)."""
    return f"{value & 0xFFFFFFFF}u"
