"""SQUEEZE: drops size-1 dimensions. Same bytes, new shape: a pure alias (no copy, no kernel).

The output shares the input's memory (`MemoryHints(alias_input=0)`); emit writes nothing,
except a plain byte copy when the planner had to give the output its own buffer (for
instance when it is a graph output).
"""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import register
from microforge.ops.layout_common import AliasOp, same_dtype_reason


@register
class Squeeze(AliasOp):
    op_type = "SQUEEZE"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 1 or len(op.outputs) != 1:
            return "needs one input and one output"
        return same_dtype_reason(op, graph)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        rank = len(x.shape)
        dims = [int(d) for d in op.options.get("squeeze_dims", [])]
        axes = {d + rank if d < 0 else d for d in dims} if dims else {
            k for k, n in enumerate(x.shape) if n == 1}
        if any(not 0 <= a < rank or x.shape[a] != 1 for a in axes):
            raise self.fail(op, f"cannot squeeze axes {dims} of shape {list(x.shape)}")
        expected = [n for k, n in enumerate(x.shape) if k not in axes]
        if list(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} should be {expected}")
