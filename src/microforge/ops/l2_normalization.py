"""L2_NORMALIZATION: float32 over the last axis (TFLite's reference, epsilon 1e-6f).
TFLM's int8 L2_NORMALIZATION (inverse square root in fixed point) is not implemented yet."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import activation_of
from microforge.ops.base import register
from microforge.ops.math_unary_common import LastAxisFloatOp


@register
class L2Normalization(LastAxisFloatOp):
    op_type = "L2_NORMALIZATION"
    dtypes = ("float32",)
    kernel = "l2_normalization_f32"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if activation_of(op) != "NONE":
            return f"fused activation {activation_of(op)} (TFLM requires NONE)"
        return super().unsupported_reason(op, graph)
