"""REDUCE_ALL: the logical AND of bool values over constant axes (keep_dims either way), as
TFLM's reduce.cc. A bool is one byte, 0 or 1, so the AND is the minimum: REDUCE_MIN's loops and
its int8 kernel on the bytes (see reduce_min_max_common)."""

from __future__ import annotations

from typing import ClassVar

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, register
from microforge.ops.layout_common import const_ints
from microforge.ops.reduce_min_max_common import KERNEL, ReduceMinMaxBase, ReduceParams


@register
class ReduceAll(ReduceMinMaxBase):
    op_type = "REDUCE_ALL"
    dtypes: ClassVar[tuple[str, ...]] = ("bool",)
    function = "mf_reduce_min"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs an input and axes"
        if const_ints(graph, op, 1) is None:
            return "the axes are not a constant int32 tensor"
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype != "bool" or out.dtype != "bool":
            return f"dtypes {x.dtype} -> {out.dtype} (TFLM: bool)"
        return None

    def emit(self, op: Operator, graph: Graph, params: ReduceParams, ctx: EmitContext) -> None:
        ctx.use_kernel(KERNEL)
        ctx.call(f"{{ static const mf_reduce_loops p = {params.loops_init()}; "
                 f"mf_reduce_min_s8(&p, (const int8_t *){ctx.ptr(op.inputs[0])}, "
                 f"(int8_t *){ctx.ptr(op.outputs[0])}); }}")
