"""Shared base of the float32 elementwise math ops (ABS, NEG, SQUARE, SQRT, RSQRT, EXP, LOG,
SIN, COS, FLOOR, CEIL, ROUND): one kernel function per op in runtime/kernels/unary_f32.c, the formula of TFLM's
reference kernel. int8 variants (ABS, RSQRT) are tabulated per module.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.ops._support import dtypes
from microforge.ops.base import EmitContext
from microforge.ops.elementwise_common import (
    Int8TableParams,
    UnaryElementwiseOp,
    emit_int8_table,
    int8_unary_problem,
    use_libm,
)


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


class LastAxisFloatOp(FloatUnaryOp):
    """A float32 op over the last axis (rows of `depth` values) whose C body is
    `mf_<kernel>(outer, depth, input, output)` in runtime/kernels/<kernel>.c."""

    kernel: ClassVar[str] = ""

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        super().check_shapes(op, graph)
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if tuple(x.shape) != tuple(out.shape) or not x.shape:
            raise self.fail(op, f"input shape {list(x.shape)} and output shape "
                                f"{list(out.shape)} must be equal and of rank >= 1")

    def emit(self, op: Operator, graph: Graph, params: Any, ctx: EmitContext) -> None:
        x = graph.tensors[op.inputs[0]]
        depth = int(x.shape[-1])
        outer = x.num_elements // depth if depth else 0
        ctx.use_kernel(self.kernel)
        use_libm(ctx)
        ctx.call(f"mf_{self.kernel}({outer}, {depth}, {ctx.ptr(op.inputs[0])}, "
                 f"{ctx.ptr(op.outputs[0])});")


class TableUnaryOp(FloatUnaryOp):
    """float32 through `mf_<function>_f32`; int8 through a 256-entry table computed at compile
    time (TFLM's integer arithmetic for every input value), looked up on the device."""

    def int8_values(self, x: Tensor, out: Tensor) -> np.ndarray:
        """The int8 output for each of the 256 inputs (see elementwise_common.int8_table)."""
        raise NotImplementedError(self.op_type)

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        return int8_unary_problem(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> Int8TableParams | None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype == "float32":
            return None
        return Int8TableParams(self.int8_values(x, out))

    def emit(self, op: Operator, graph: Graph, params: Int8TableParams | None,
             ctx: EmitContext) -> None:
        if params is None:
            self.emit_float(op, graph, ctx)
        else:
            emit_int8_table(op, graph, params, ctx)
