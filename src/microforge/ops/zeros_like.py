"""ZEROS_LIKE (float32, int8, int32, int64): the output, shaped like the input, all zero.

As TFLM: raw zeros, whatever the int8 quantization (TFLM writes 0, not the zero point), so a
`memset` is bit-exact for every dtype (0.0f is all-bits-zero).
"""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import same_dtype_reason

ZEROS_LIKE_DTYPES = ("float32", "int8", "int32", "int64")


@register
class ZerosLike(OpDef):
    op_type = "ZEROS_LIKE"
    dtypes = ZEROS_LIKE_DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 1 or len(op.outputs) != 1:
            return "needs one input and one output"
        return same_dtype_reason(op, graph, allowed=ZEROS_LIKE_DTYPES)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if tuple(x.shape) != tuple(out.shape):
            raise self.fail(op, f"output shape {list(out.shape)} should be {list(x.shape)}")

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        ctx.call(f"(void)({ctx.ptr(op.inputs[0])}); /* only its shape matters */")
        ctx.call(f"memset({ctx.ptr(op.outputs[0])}, 0, {graph.tensors[op.outputs[0]].nbytes});")
