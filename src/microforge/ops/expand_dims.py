"""EXPAND_DIMS: inserts a size-1 dimension. Same bytes, new shape: a pure alias.

The output shares the input's memory (`MemoryHints(alias_input=0)`); emit writes nothing,
except a plain byte copy when the planner had to give the output its own buffer (for
instance when it is a graph output).
"""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import register
from microforge.ops.layout_common import AliasOp, const_ints, same_dtype_reason


@register
class ExpandDims(AliasOp):
    op_type = "EXPAND_DIMS"
    dtypes = ("float32", "int8", "int16")  # TFLM expand_dims.cc Eval

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs an input and an axis"
        axis = const_ints(graph, op, 1)
        if axis is None or len(axis) != 1:
            return "the axis is not a constant int32 scalar"
        return same_dtype_reason(op, graph, allowed=self.dtypes)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        axis = (const_ints(graph, op, 1) or [0])[0]
        rank = len(x.shape)
        if axis < 0:
            axis += rank + 1
        if not 0 <= axis <= rank:
            raise self.fail(op, f"axis {axis} is out of range for rank {rank}")
        expected = [*x.shape[:axis], 1, *x.shape[axis:]]
        if list(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} should be {expected}")
