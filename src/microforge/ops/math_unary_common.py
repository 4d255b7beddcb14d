"""Shared base of the float32 elementwise math ops (ABS, NEG, SQUARE, SQRT, RSQRT, EXP, LOG,
SIN, COS, FLOOR, CEIL, ROUND): one kernel function per op in runtime/kernels/unary_f32.c, the formula of TFLM's
reference kernel. int8 variants (ABS, RSQRT) are tabulated per module.
"""

from __future__ import annotations

from typing import Any, ClassVar

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import dtypes
from microforge.ops.base import EmitContext
from microforge.ops.elementwise_common import UnaryElementwiseOp, use_libm


class FloatUnaryOp(UnaryElementwiseOp):
    """A float32-only unary op whose C body is `mf_<function>_f32` of unary_f32.c."""

    function: ClassVar[str] = ""
    needs_libm: ClassVar[bool] = True

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        kinds = dtypes(graph, op)
        if kinds[:1] + kinds[-1:] != ("float32", "float32"):
            return f"dtypes {kinds} not implemented (TFLM has float32 only)"
        return None

    def emit_float(self, op: Operator, graph: Graph, ctx: EmitContext) -> None:
        ctx.use_kernel("unary_f32")
        if self.needs_libm:
            use_libm(ctx)
        ctx.call(f"mf_{self.function}_f32({self.size(op, graph)}, {ctx.ptr(op.inputs[0])}, "
                 f"{ctx.ptr(op.outputs[0])});")

    def emit(self, op: Operator, graph: Graph, params: Any, ctx: EmitContext) -> None:
        self.emit_float(op, graph, ctx)
