"""L2_NORMALIZATION: float32 over the last axis (TFLite's reference, epsilon 1e-6f).
TFLM's int8 L2_NORMALIZATION (inverse square root in fixed point) is not implemented yet."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import activation_of
from microforge.ops.base import EmitContext, register
from microforge.ops.elementwise_common import use_libm
from microforge.ops.math_unary_common import FloatUnaryOp


@register
class L2Normalization(FloatUnaryOp):
    op_type = "L2_NORMALIZATION"
    dtypes = ("float32",)

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if activation_of(op) != "NONE":
            return f"fused activation {activation_of(op)} (TFLM requires NONE)"
        return super().unsupported_reason(op, graph)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        super().check_shapes(op, graph)
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if tuple(x.shape) != tuple(out.shape) or not x.shape:
            raise self.fail(op, f"input shape {list(x.shape)} and output shape "
                                f"{list(out.shape)} must be equal and of rank >= 1")

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        x = graph.tensors[op.inputs[0]]
        depth = int(x.shape[-1])
        outer = x.num_elements // depth if depth else 0
        ctx.use_kernel("l2_normalization_f32")
        use_libm(ctx)
        ctx.call(f"mf_l2_normalization_f32({outer}, {depth}, {ctx.ptr(op.inputs[0])}, "
                 f"{ctx.ptr(op.outputs[0])});")
