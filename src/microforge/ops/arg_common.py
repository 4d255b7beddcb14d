"""ARG_MAX and ARG_MIN, shared (float32, int8 input; int32 output; constant axis), as TFLM.

The input is viewed as [outer, axis, inner]; the kernel keeps the first index of the extreme
value (strict comparison, like TFLM's GreaterFn/LessFn). int8 compares raw values, which orders
them as the dequantized ones (positive scale), so no quantization parameters are needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef
from microforge.ops.layout_common import LAYOUT_DTYPES, const_ints, outer_inner

KERNEL = "arg_min_max"
_SUFFIX = {"float32": "f32", "int8": "s8"}


@dataclass(frozen=True)
class ArgParams:
    axis: int
    outer: int
    axis_size: int
    inner: int


class ArgBase(OpDef):
    dtypes = LAYOUT_DTYPES
    function: ClassVar[str] = ""

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs input and axis"
        axis = const_ints(graph, op, 1)
        if axis is None or len(axis) != 1 or graph.tensors[op.inputs[1]].dtype != "int32":
            return "the axis is not a constant int32 scalar"
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype not in _SUFFIX:
            return f"{x.dtype} input (TFLM takes float32 and int8)"
        if out.dtype != "int32":
            return f"{out.dtype} output (TFLM writes int32 only; convert with output_type=int32)"
        return None

    def _axis(self, op: Operator, graph: Graph) -> int:
        rank = len(graph.tensors[op.inputs[0]].shape)
        value = (const_ints(graph, op, 1) or [0])[0]
        axis = value + rank if value < 0 else value
        if not 0 <= axis < rank:
            raise self.fail(op, f"axis {value} is out of range for rank {rank}")
        return axis

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        axis = self._axis(op, graph)
        expected = [*x.shape[:axis], *x.shape[axis + 1:]]
        if list(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} should be {expected}")

    def prepare(self, op: Operator, graph: Graph) -> ArgParams:
        x = graph.tensors[op.inputs[0]]
        axis = self._axis(op, graph)
        outer, inner = outer_inner(x.shape, axis)
        return ArgParams(axis, outer, int(x.shape[axis]), inner)

    def emit(self, op: Operator, graph: Graph, params: ArgParams, ctx: EmitContext) -> None:
        ctx.use_kernel(KERNEL)
        suffix = _SUFFIX[graph.tensors[op.inputs[0]].dtype]
        ctx.call(f"{self.function}_{suffix}({ctx.ptr(op.inputs[0])}, {ctx.ptr(op.outputs[0])}, "
                 f"{params.outer}, {params.axis_size}, {params.inner});")
