"""ABS: float32 (`fabsf`) and int8, tabulated at compile time from TFLM's integer arithmetic.

TFLM int8 Prepare: needs_rescale = input_scale != output_scale (float compare); the multiplier
is QuantizeMultiplier(double(float(input_scale / output_scale))). Eval: v = |x - in_zp|, then
out = clamp(v + out_zp) without rescale, else clamp(MultiplyByQuantizedMultiplier(v) + out_zp).
"""

from __future__ import annotations

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.ops.base import EmitContext, register
from microforge.ops.elementwise_common import (
    Int8TableParams,
    emit_int8_table,
    f32_div,
    int8_table,
    int8_unary_problem,
)
from microforge.ops.elementwise_fixedpoint import all_int8, multiply_by_quantized_multiplier
from microforge.ops.math_unary_common import FloatUnaryOp
from microforge.ops.quant import quantize_multiplier


def abs_table(x: Tensor, out: Tensor) -> np.ndarray:
    """int8 table of TFLM's ABS for every input value."""
    value = np.abs(all_int8() - x.zero_point)
    if np.float32(x.scale) != np.float32(out.scale):
        multiplier, shift = quantize_multiplier(f32_div(x.scale, out.scale))
        value = multiply_by_quantized_multiplier(value, multiplier, shift)
    return int8_table(value + out.zero_point)


@register
class Abs(FloatUnaryOp):
    op_type = "ABS"
    dtypes = ("float32", "int8")
    function = "abs"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        return int8_unary_problem(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> Int8TableParams | None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype == "float32":
            return None
        return Int8TableParams(abs_table(x, out))

    def emit(self, op: Operator, graph: Graph, params: Int8TableParams | None,
             ctx: EmitContext) -> None:
        if params is None:
            self.emit_float(op, graph, ctx)
        else:
            emit_int8_table(op, graph, params, ctx)
