"""CONCATENATION (any axis, any number of inputs, any TFLM dtype): one strided copy per input.

Each input is a block [outer, size_along_axis * inner] written at its running offset along the
axis in the output; the plans are computed at compile time. Like TFLM, int8 inputs must share
the output's scale and zero point (TFLM's Prepare rejects anything else), so no requantization
happens and the result is bit-exact by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import CopyCall, CopyPlan, emit_copy, same_dtype_reason


@dataclass(frozen=True)
class ConcatenationParams:
    axis: int
    copies: tuple[CopyCall, ...]  # one per input, in input order


@register
class Concatenation(OpDef):
    op_type = "CONCATENATION"
    # TFLM's Concatenation: float32, int8, int16, int32, int64, bool (a byte copy for all)
    dtypes = ("float32", "int8", "int16", "int32", "int64", "bool")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if not op.inputs or len(op.outputs) != 1 or NO_TENSOR in op.inputs:
            return "needs at least one input and one output"
        if op.options.get("fused_activation_function", "NONE") != "NONE":
            return "fused activation (TFLM rejects it too)"
        return same_dtype_reason(op, graph, range(len(op.inputs)), same_quant=True,
                                 allowed=self.dtypes)

    def _axis(self, op: Operator, graph: Graph) -> int:
        rank = len(graph.tensors[op.outputs[0]].shape)
        axis = int(op.options.get("axis", 0))
        axis = axis + rank if axis < 0 else axis
        if not 0 <= axis < max(rank, 1):
            raise self.fail(op, f"axis {op.options.get('axis')} is out of range for rank {rank}")
        return axis

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        out = graph.tensors[op.outputs[0]]
        axis = self._axis(op, graph)
        total = 0
        for position, index in enumerate(op.inputs):
            shape = graph.tensors[index].shape
            if len(shape) != len(out.shape) or any(
                    a != b for k, (a, b) in enumerate(zip(shape, out.shape, strict=True))
                    if k != axis):
                raise self.fail(op, f"input {position} has shape {list(shape)}, which does not "
                                    f"match the output {list(out.shape)} outside axis {axis}")
            total += shape[axis]
        if out.shape and total != out.shape[axis]:
            raise self.fail(op, f"inputs add up to {total} along axis {axis}, the output has "
                                f"{out.shape[axis]}")

    def prepare(self, op: Operator, graph: Graph) -> ConcatenationParams:
        out = graph.tensors[op.outputs[0]]
        axis = self._axis(op, graph)
        outer = 1
        for d in out.shape[:axis]:
            outer *= d
        inner = 1
        for d in out.shape[axis + 1:]:
            inner *= d
        out_row = (out.shape[axis] if out.shape else 1) * inner  # output elements per outer step
        copies, offset = [], 0
        for index in op.inputs:
            t = graph.tensors[index]
            block = (t.shape[axis] if t.shape else 1) * inner
            plan = CopyPlan((outer, block), (block, 1), (out_row, 1), 0, offset)
            copies.append(CopyCall.from_plan(plan, out.itemsize))
            offset += block
        return ConcatenationParams(axis, tuple(copies))

    def emit(self, op: Operator, graph: Graph, params: ConcatenationParams,
             ctx: EmitContext) -> None:
        dst = ctx.ptr(op.outputs[0])
        for index, copy in zip(op.inputs, params.copies, strict=True):
            emit_copy(ctx, copy, ctx.ptr(index), dst)
