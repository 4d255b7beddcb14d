"""TRANSPOSE (1-D to 6-D, float32/int8/int16, TFLM's set): one strided copy planned at compile time.

out[i_0, ..., i_n] = in[j] with j[perm[k]] = i_k, so output axis k walks the input with the
input's row-major stride of axis perm[k]. Pure data movement: bit-exact by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import Cost, EmitContext, OpDef, register
from microforge.ops.layout_common import (
    CopyCall,
    CopyPlan,
    const_ints,
    emit_copy,
    row_major_strides,
    same_dtype_reason,
)


@dataclass(frozen=True)
class TransposeParams:
    perm: tuple[int, ...]
    copy: CopyCall


@register
class Transpose(OpDef):
    op_type = "TRANSPOSE"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs an input and a permutation"
        if const_ints(graph, op, 1) is None:
            return "the permutation is not a constant int32 tensor"
        return same_dtype_reason(op, graph, allowed=self.dtypes)

    def _perm(self, op: Operator, graph: Graph) -> tuple[int, ...]:
        x = graph.tensors[op.inputs[0]]
        perm = const_ints(graph, op, 1) or []
        rank = len(x.shape)
        if sorted(perm) != list(range(rank)):
            raise self.fail(op, f"permutation {perm} is not a permutation of {rank} axes")
        return tuple(perm)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        perm = self._perm(op, graph)
        expected = tuple(x.shape[p] for p in perm)
        if tuple(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} should be {list(expected)} "
                                f"for permutation {list(perm)}")

    def prepare(self, op: Operator, graph: Graph) -> TransposeParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        perm = self._perm(op, graph)
        in_strides = row_major_strides(x.shape)
        plan = CopyPlan(tuple(out.shape), tuple(in_strides[p] for p in perm),
                        row_major_strides(out.shape))
        try:
            call = CopyCall.from_plan(plan, out.itemsize)
        except ValueError as exc:
            raise self.fail(op, str(exc)) from exc
        return TransposeParams(perm, call)

    def cost(self, op: Operator, graph: Graph, params: TransposeParams) -> Cost:
        return Cost()

    def emit(self, op: Operator, graph: Graph, params: TransposeParams, ctx: EmitContext) -> None:
        emit_copy(ctx, params.copy, ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]))
