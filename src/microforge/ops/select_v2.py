"""SELECT_V2: out = condition ? x : y, the bool condition, x and y broadcast against each other
up to rank 5 (TFLM's select.cc: BroadcastSelect5DSlow). float32, int8 and int16 as TFLM; the
raw values are moved (int8/int16 are not rescaled, as in TFLM). Strides are computed here
(0 along each broadcast dimension); the kernel (select.c) walks the output once."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_array, named, struct_call
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import row_major_strides

RANK = 5  # MF_SELECT_RANK, TFLM's 5-D broadcast
DTYPES = ("float32", "int8", "int16")


@dataclass(frozen=True)
class SelectParams:
    dims: tuple[int, ...]
    strides: tuple[tuple[int, ...], ...]  # condition, x, y
    elem_size: int


def broadcast_strides(shape: tuple[int, ...], out_shape: tuple[int, ...]) -> tuple[int, ...]:
    """Element strides of `shape` read as `out_shape` (both padded to RANK): 0 where it
    broadcasts."""
    ext = (1,) * (RANK - len(shape)) + tuple(shape)
    out = (1,) * (RANK - len(out_shape)) + tuple(out_shape)
    return tuple(0 if d == 1 and o != 1 else s
                 for d, o, s in zip(ext, out, row_major_strides(ext), strict=True))


@register
class SelectV2(OpDef):
    op_type = "SELECT_V2"
    dtypes = DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 3 or len(op.outputs) != 1:
            return "needs a condition, x, y and one output"
        cond, x, y = (graph.tensors[i] for i in op.inputs)
        out = graph.tensors[op.outputs[0]]
        if cond.dtype != "bool":
            return f"{cond.dtype} condition (TFLM needs bool)"
        if not x.dtype == y.dtype == out.dtype or out.dtype not in DTYPES:
            return f"x/y/output dtypes {x.dtype}/{y.dtype}/{out.dtype} (float32, int8, int16)"
        if len(out.shape) > RANK:
            return f"rank {len(out.shape)} over TFLM's {RANK}"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        out = tuple(graph.tensors[op.outputs[0]].shape)
        for name, i in zip(("condition", "x", "y"), op.inputs, strict=True):
            shape = tuple(graph.tensors[i].shape)
            ext = (1,) * (len(out) - len(shape)) + shape
            if len(shape) > len(out) or any(d not in (1, o) for d, o in
                                            zip(ext, out, strict=True)):
                raise self.fail(op, f"{name} shape {list(shape)} does not broadcast to the "
                                    f"output shape {list(out)}")

    def prepare(self, op: Operator, graph: Graph) -> SelectParams:
        out = graph.tensors[op.outputs[0]]
        shape = tuple(out.shape)
        return SelectParams((1,) * (RANK - len(shape)) + shape,
                            tuple(broadcast_strides(tuple(graph.tensors[i].shape), shape)
                                  for i in op.inputs), out.itemsize)

    def emit(self, op: Operator, graph: Graph, params: SelectParams, ctx: EmitContext) -> None:
        ctx.use_kernel("select")
        fields = {"dims": c_array(params.dims),
                  **named("cond_strides x_strides y_strides", [c_array(s) for s in params.strides]),
                  "elem_size": params.elem_size}
        args = [f"(const uint8_t *){ctx.ptr(op.inputs[0])}", ctx.ptr(op.inputs[1]),
                ctx.ptr(op.inputs[2]), ctx.ptr(op.outputs[0])]
        ctx.call(struct_call("select", fields, args))
