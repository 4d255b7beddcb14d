"""L2_NORMALIZATION over the last axis: float32 (TFLite's reference, epsilon 1e-6f) and int8 as
TFLM (the sum of squares of (x - zero point), its inverse square root by TFLite's
GetInvSqrtQuantizedMultiplierExp in gemmlowp fixed point at run time, the result in steps of
1/128 whatever the output's declared quantization, as TFLM writes it)."""

from __future__ import annotations

from typing import Any, ClassVar

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import activation_of, per_tensor_problem
from microforge.ops.base import EmitContext, register
from microforge.ops.math_unary_common import LastAxisFloatOp

MAX_INT8_DEPTH = (2**31 - 1) // (255 * 255)  # the int32 sum of squares cannot overflow


@register
class L2Normalization(LastAxisFloatOp):
    op_type = "L2_NORMALIZATION"
    dtypes: ClassVar[tuple[str, ...]] = ("float32", "int8")
    kernel = "l2_normalization_f32"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if activation_of(op) != "NONE":
            return f"fused activation {activation_of(op)} (TFLM requires NONE)"
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if (x.dtype, out.dtype) == ("int8", "int8"):
            if x.shape and x.shape[-1] > MAX_INT8_DEPTH:
                return f"last axis over {MAX_INT8_DEPTH} (the int32 sum could overflow)"
            return per_tensor_problem(x, "input")
        return super().unsupported_reason(op, graph)

    def emit(self, op: Operator, graph: Graph, params: Any, ctx: EmitContext) -> None:
        x = graph.tensors[op.inputs[0]]
        if x.dtype == "float32":
            super().emit(op, graph, params, ctx)
            return
        depth = int(x.shape[-1])
        outer = x.num_elements // depth if depth else 0
        ctx.use_kernel("l2_normalization_s8")
        ctx.call(f"mf_l2_normalization_s8({outer}, {depth}, {x.zero_point}, "
                 f"{ctx.ptr(op.inputs[0])}, {ctx.ptr(op.outputs[0])});")
