"""SHAPE: the input's shape as an int32 vector (TFLM's shape.cc writes int32 only). Shapes are
static here, so the output is a constant copied in; the input is never read."""

from __future__ import annotations

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import ALL_DTYPES


@register
class Shape(OpDef):
    op_type = "SHAPE"
    dtypes = ALL_DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 1 or len(op.outputs) != 1:
            return "needs one input and one output"
        out = graph.tensors[op.outputs[0]]
        if out.dtype != "int32":
            return f"{out.dtype} output (TFLM writes int32)"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if out.num_elements != len(x.shape):
            raise self.fail(op, f"output of {out.num_elements} values for a rank-{len(x.shape)}"
                                " input")

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        x = graph.tensors[op.inputs[0]]
        if not x.shape:
            ctx.call(f"(void)({ctx.ptr(op.outputs[0])}); /* a scalar: an empty shape */")
            return
        shape = ctx.const("shape", np.asarray(x.shape, np.int32))
        ctx.call(f"(void)({ctx.ptr(op.inputs[0])}); /* only its shape matters */")
        ctx.call(f"memcpy({ctx.ptr(op.outputs[0])}, {shape}, {4 * len(x.shape)});")
