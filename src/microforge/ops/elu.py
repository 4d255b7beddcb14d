"""ELU: float32 (`x < 0 ? expm1f(x) : x`, TFLite's reference) and int8 with TFLM's lookup table.

TFLM int8 Prepare (PopulateLookupTable, all in float32): for every input value,
dequantized = in_scale * (v - in_zp), transformed = x < 0 ? expf(x) - 1 : x,
out = clamp((int)(round_half_away(transformed * (1 / out_scale)) + out_zp)).
expf is taken as the correctly rounded float32 of the double exp (glibc's expf is correctly
rounded on these inputs; the tests compare every table entry with TFLM).
"""

from __future__ import annotations

import math

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.ops.base import register
from microforge.ops.elementwise_common import (
    f32,
    int8_table,
    int8_unary_problem,
)
from microforge.ops.math_unary_common import TableUnaryOp


def elu_rescaled(x: Tensor, out: Tensor) -> np.ndarray:
    """TFLM's float `rescaled + output zero point` for every input value (float64 array)."""
    inverse_scale = f32(1.0) / f32(out.scale)
    values = []
    for v in range(-128, 128):
        dequantized = f32(x.scale) * f32(v - x.zero_point)
        transformed = (f32(math.exp(float(dequantized))) - f32(1.0)
                       if dequantized < 0 else dequantized)
        rescaled = f32(transformed * inverse_scale)
        rounded = math.floor(abs(float(rescaled)) + 0.5) * (1 if rescaled >= 0 else -1)
        # float addition of the zero point, then the int conversion (truncation)
        values.append(float(f32(rounded) + f32(out.zero_point)))
    return np.array(values)


def elu_table(x: Tensor, out: Tensor) -> np.ndarray:
    """int8 table of TFLM's ELU for every input value (the int conversion truncates)."""
    return int8_table(np.trunc(elu_rescaled(x, out)).astype(np.int64))


@register
class Elu(TableUnaryOp):
    op_type = "ELU"
    dtypes = ("float32", "int8")
    function = "elu"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = int8_unary_problem(op, graph)
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if problem or x.dtype == "float32":
            return problem
        if not np.all(np.abs(elu_rescaled(x, out)) < 2.0**31):
            # TFLM's float -> int32 conversion is undefined there (x86 and Arm disagree)
            return f"output scale {out.scale:g} too small for the input range"
        return None

    def int8_values(self, x: Tensor, out: Tensor) -> np.ndarray:
        return elu_table(x, out)
