"""RESHAPE: same bytes, new shape. An alias (no copy) unless the result is a graph output."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import register
from microforge.ops.layout_common import AliasOp


@register
class Reshape(AliasOp):
    op_type = "RESHAPE"
    dtypes = ("float32", "int8", "int16")  # int16: the 16x8 models (tests/e2e/test_16x8_models.py)

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if not op.inputs or len(op.outputs) != 1:
            return f"needs a data input and one output, has {len(op.inputs)} and {len(op.outputs)}"
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype != out.dtype:
            return f"{x.dtype} -> {out.dtype}"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.num_elements != out.num_elements:
            raise self.fail(op, f"cannot reshape {list(x.shape)} ({x.num_elements} values) to "
                                f"{list(out.shape)} ({out.num_elements} values)")
        if x.quant != out.quant and x.dtype != "float32":
            raise self.fail(op, "input and output quantization differ")
