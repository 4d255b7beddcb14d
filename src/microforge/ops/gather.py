"""GATHER (float32, int8; int32 positions, constant or computed; `axis` and `batch_dims`).

Sizes follow TFLM's Gather: batch (first batch_dims dimensions), outer (up to axis), the axis
itself, the coordinates per batch and the inner block (after axis); the kernel copies one inner
block per (batch, outer, coordinate). Constant positions are range-checked at compile time;
a computed position outside the axis (undefined behaviour in TFLM) yields a zero block.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, struct_call
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import LAYOUT_DTYPES, same_dtype_reason

KERNEL = "gather"


def _product(values: tuple[int, ...]) -> int:
    n = 1
    for v in values:
        n *= int(v)
    return n


@dataclass(frozen=True)
class GatherParams:
    batch_size: int
    outer_size: int
    axis_size: int
    coord_size: int
    inner_bytes: int


@register
class Gather(OpDef):
    op_type = "GATHER"
    dtypes = LAYOUT_DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs input and positions"
        if graph.tensors[op.inputs[1]].dtype != "int32":
            return f"{graph.tensors[op.inputs[1]].dtype} positions (TFLM takes int32 only)"
        return same_dtype_reason(op, graph)

    def _dims(self, op: Operator, graph: Graph) -> tuple[int, int]:
        x, coords = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        axis = int(op.options.get("axis", 0))
        axis = axis + len(x.shape) if axis < 0 else axis
        batch_dims = int(op.options.get("batch_dims", 0))
        batch_dims = batch_dims + len(coords.shape) if batch_dims < 0 else batch_dims
        if not 0 <= axis < len(x.shape):
            raise self.fail(op, f"axis {op.options.get('axis')} is out of range for rank "
                                f"{len(x.shape)}")
        if not 0 <= batch_dims <= min(axis, len(coords.shape)):
            raise self.fail(op, f"batch_dims {op.options.get('batch_dims')} must be within "
                                f"[0, min(axis, rank of positions)]")
        if tuple(x.shape[:batch_dims]) != tuple(coords.shape[:batch_dims]):
            raise self.fail(op, f"the first {batch_dims} dimensions of input {list(x.shape)} "
                                f"and positions {list(coords.shape)} differ")
        return axis, batch_dims

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, coords = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        axis, batch_dims = self._dims(op, graph)
        expected = [*x.shape[:axis], *coords.shape[batch_dims:], *x.shape[axis + 1:]]
        if list(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} should be {expected}")
        if coords.data is not None:
            bad = [int(v) for v in coords.data.reshape(-1) if not 0 <= v < x.shape[axis]]
            if bad:
                raise self.fail(op, f"position {bad[0]} is outside axis {axis} of size "
                                    f"{x.shape[axis]}")

    def prepare(self, op: Operator, graph: Graph) -> GatherParams:
        x, coords = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        axis, batch_dims = self._dims(op, graph)
        return GatherParams(_product(x.shape[:batch_dims]), _product(x.shape[batch_dims:axis]),
                            int(x.shape[axis]), _product(coords.shape[batch_dims:]),
                            _product(x.shape[axis + 1:]) * x.itemsize)

    def emit(self, op: Operator, graph: Graph, params: GatherParams, ctx: EmitContext) -> None:
        ctx.use_kernel(KERNEL)
        p = params
        ctx.call(struct_call("gather", pick(p, "batch_size outer_size axis_size coord_size "
                                               "inner_bytes"),
                             [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]),
                              ctx.ptr(op.outputs[0])]))
