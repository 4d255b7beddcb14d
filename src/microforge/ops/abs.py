"""ABS: float32 (`fabsf`), int8, tabulated at compile time from TFLM's integer arithmetic, and
int16 (kernel `abs_s16`: quantized with zero points 0, or unquantized, TFLM's two int16 paths).

TFLM int8 Prepare: needs_rescale = input_scale != output_scale (float compare); the multiplier
is QuantizeMultiplier(double(float(input_scale / output_scale))). Eval: v = |x - in_zp|, then
out = clamp(v + out_zp) without rescale, else clamp(MultiplyByQuantizedMultiplier(v) + out_zp).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.ops._support import dtypes, pick, struct_call
from microforge.ops.base import EmitContext, register
from microforge.ops.elementwise_common import (
    f32_div,
    int8_table,
    int16_unary_problem,
)
from microforge.ops.elementwise_fixedpoint import all_int8, multiply_by_quantized_multiplier
from microforge.ops.math_unary_common import TableUnaryOp
from microforge.ops.quant import quantize_multiplier


def abs_table(x: Tensor, out: Tensor) -> np.ndarray:
    """int8 table of TFLM's ABS for every input value."""
    value = np.abs(all_int8() - x.zero_point)
    if np.float32(x.scale) != np.float32(out.scale):
        multiplier, shift = quantize_multiplier(f32_div(x.scale, out.scale))
        value = multiply_by_quantized_multiplier(value, multiplier, shift)
    return int8_table(value + out.zero_point)


@dataclass(frozen=True)
class AbsS16Params:
    quantized: int
    needs_rescale: int = 0
    multiplier: int = 0
    shift: int = 0


def abs_s16_params(x: Tensor, out: Tensor) -> AbsS16Params:
    """TFLM's PrepareAbsRsqrt for int16. The multiplier from the double quotient: TFLM's source
    writes float(s_in / s_out), the installed TFLM answers as the double one at int16 (as for
    RELU and LEAKY_RELU; docs/ops.md)."""
    if x.quant is None:
        return AbsS16Params(0)
    if np.float32(x.scale) == np.float32(out.scale):
        return AbsS16Params(1)
    multiplier, shift = quantize_multiplier(x.scale / out.scale)
    return AbsS16Params(1, 1, multiplier, shift)


@register
class Abs(TableUnaryOp):
    op_type = "ABS"
    dtypes = ("float32", "int8", "int16")
    function = "abs"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if dtypes(graph, op) != ("int16", "int16"):
            return super().unsupported_reason(op, graph)
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if (x.quant is None) != (out.quant is None):
            return "int16 input and output must both be quantized or both not (TFLM)"
        return None if x.quant is None else int16_unary_problem(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> Any:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype == "int16":
            return abs_s16_params(x, out)
        return super().prepare(op, graph)

    def emit(self, op: Operator, graph: Graph, params: Any, ctx: EmitContext) -> None:
        if not isinstance(params, AbsS16Params):
            super().emit(op, graph, params, ctx)
            return
        ctx.use_kernel("abs_s16")
        fields = {"size": self.size(op, graph),
                  **pick(params, "quantized needs_rescale multiplier shift")}
        ctx.call(struct_call("abs_s16", fields, [ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])]))

    def int8_values(self, x: Tensor, out: Tensor) -> np.ndarray:
        return abs_table(x, out)
