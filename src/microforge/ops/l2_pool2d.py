"""L2_POOL_2D: float32 only, as TFLM (l2_pool_2d.cc): the square root of the mean of the
squares over the window's part inside the input, then the fused activation. The geometry
(padding as ComputePaddingHeightWidth, the output shape check) is AVERAGE_POOL_2D's."""

from __future__ import annotations

from typing import ClassVar

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import (
    ACTIVATIONS,
    activation_of,
    float_activation_range,
    named,
    struct_call,
)
from microforge.ops.average_pool2d import POOL_FIELDS, AveragePool2D, AveragePoolParams
from microforge.ops.base import EmitContext, register
from microforge.ops.elementwise_common import use_libm


@register
class L2Pool2D(AveragePool2D):
    op_type = "L2_POOL_2D"
    dtypes: ClassVar[tuple[str, ...]] = ("float32",)

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if activation_of(op) not in ACTIVATIONS:
            return f"fused activation {activation_of(op)}"
        kinds = (graph.tensors[op.inputs[0]].dtype, graph.tensors[op.outputs[0]].dtype)
        return None if kinds == ("float32", "float32") else f"dtypes {kinds} (TFLM: float32)"

    def emit(self, op: Operator, graph: Graph, params: AveragePoolParams,
             ctx: EmitContext) -> None:
        lo, hi = float_activation_range(op)
        ctx.use_kernel("l2_pool2d_f32")
        use_libm(ctx)
        ctx.call(struct_call("l2_pool2d_f32", {**named(POOL_FIELDS, params.geometry),
                                               "act_min": lo, "act_max": hi},
                             [ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])]))
