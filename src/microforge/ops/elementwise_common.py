"""Shared pieces of the elementwise/activation op modules: float32-exact compile-time
arithmetic (TFLite computes many Prepare values in float, not double), the base class of
unary ops, and the int8 lookup-table emission used by LOGISTIC, TANH and HARD_SWISH.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import dtypes, per_tensor_problem
from microforge.ops.base import Cost, EmitContext, MemoryHints, OpDef
from microforge.ops.quant import (  # noqa: F401  (re-exported for the op modules)
    INT8_MAX,
    INT8_MIN,
    activation_range_int8,
    f32_div,
    quantize_f32,
    round_half_away,
)

f32 = np.float32


def int16_unary_problem(op: Operator, graph: Graph, zero_points: bool = True) -> str | None:
    """None when input and output are per-tensor int16 (with `zero_points`: both zero points 0,
    as TFLM's int16 Prepare functions require); else the reason."""
    problem = (per_tensor_problem(graph.tensors[op.inputs[0]], "input")
               or per_tensor_problem(graph.tensors[op.outputs[0]], "output"))
    if problem or not zero_points:
        return problem
    if graph.tensors[op.inputs[0]].zero_point or graph.tensors[op.outputs[0]].zero_point:
        return "int16 with a zero point other than 0 (TFLM requires 0)"
    return None


def int8_unary_problem(op: Operator, graph: Graph) -> str | None:
    """None when input and output are per-tensor int8, or both float32; else the reason."""
    kinds = dtypes(graph, op)[:1] + dtypes(graph, op)[-1:]
    if kinds == ("float32", "float32"):
        return None
    if kinds != ("int8", "int8"):
        return f"dtypes {kinds} not implemented"
    return (per_tensor_problem(graph.tensors[op.inputs[0]], "input")
            or per_tensor_problem(graph.tensors[op.outputs[0]], "output"))


class UnaryElementwiseOp(OpDef):
    """One input, one output of the same shape; the output may overwrite the input."""

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        if len(op.inputs) < 1 or len(op.outputs) != 1:
            raise self.fail(op, "needs one input and one output")
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.num_elements != out.num_elements:
            raise self.fail(op, f"input shape {list(x.shape)} and output shape "
                                f"{list(out.shape)} differ")

    def cost(self, op: Operator, graph: Graph, params: object) -> Cost:
        table = getattr(params, "table", None)
        return Cost(weight_bytes=0 if table is None else int(table.nbytes))

    def memory(self, op: Operator, graph: Graph, params: object) -> MemoryHints:
        return MemoryHints(inplace_input=0)

    @staticmethod
    def size(op: Operator, graph: Graph) -> int:
        return graph.tensors[op.outputs[0]].num_elements


@dataclass(frozen=True)
class Int8TableParams:
    """An int8 -> int8 function tabulated for every input value (index = value + 128)."""

    table: np.ndarray  # int8[256]


def emit_int8_table(op: Operator, graph: Graph, params: Int8TableParams,
                    ctx: EmitContext) -> None:
    ctx.use_kernel("lut_s8")
    table = ctx.const(f"op{op.index}_table", params.table.astype(np.int8))
    size = graph.tensors[op.outputs[0]].num_elements
    ctx.call(f"mf_lut_s8({table}, {size}, {ctx.ptr(op.inputs[0])}, {ctx.ptr(op.outputs[0])});")


def int8_table(values: np.ndarray) -> np.ndarray:
    """Clamp int64 results to int8 and check the table has 256 entries."""
    assert values.shape == (256,)
    return np.clip(values, INT8_MIN, INT8_MAX).astype(np.int8)


def use_libm(ctx: EmitContext) -> None:
    """Tell codegen the kernel calls <math.h> functions (link with -lm)."""
    if hasattr(ctx, "uses_math"):
        ctx.uses_math = True
