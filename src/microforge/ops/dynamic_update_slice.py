"""DYNAMIC_UPDATE_SLICE: the operand with the update written at start indices (int32 or int64,
read at run time: they may be computed) clamped into range, as TFLM (float32, int8, int16,
int32; rank <= 6). The output may take over the operand's buffer (in place, as TFLM allows)."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_array, named, struct_call
from microforge.ops.base import EmitContext, MemoryHints, OpDef, register
from microforge.ops.layout_common import same_dtype_reason

MAX_RANK = 6
DTYPES = ("float32", "int8", "int16", "int32")


@dataclass(frozen=True)
class DusParams:
    fields: tuple[str, ...]


@register
class DynamicUpdateSlice(OpDef):
    op_type = "DYNAMIC_UPDATE_SLICE"
    dtypes = DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 3 or len(op.outputs) != 1:
            return "needs the operand, the update, the start indices and one output"
        operand, update, indices = (graph.tensors[i] for i in op.inputs)
        if indices.dtype not in ("int32", "int64") or len(indices.shape) != 1:
            return f"{indices.dtype} start indices of rank {len(indices.shape)} (int32/int64)"
        if len(operand.shape) > MAX_RANK:
            return f"rank {len(operand.shape)} over {MAX_RANK}"
        if update.dtype != operand.dtype:
            return f"update {update.dtype} and operand {operand.dtype} differ"
        return same_dtype_reason(op, graph, allowed=DTYPES)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        operand, update, indices = (graph.tensors[i] for i in op.inputs)
        out = graph.tensors[op.outputs[0]]
        if len(update.shape) != len(operand.shape) or any(
                u > o for u, o in zip(update.shape, operand.shape, strict=True)):
            raise self.fail(op, f"update {list(update.shape)} does not fit the operand "
                                f"{list(operand.shape)}")
        if indices.shape[0] != len(operand.shape) or tuple(out.shape) != tuple(operand.shape):
            raise self.fail(op, f"{indices.shape[0]} start indices and output "
                                f"{list(out.shape)} for an operand {list(operand.shape)}")

    def prepare(self, op: Operator, graph: Graph) -> DusParams:
        operand, update, indices = (graph.tensors[i] for i in op.inputs)
        return DusParams((str(len(operand.shape)), c_array(operand.shape, MAX_RANK), c_array(update.shape, MAX_RANK),
                          str(operand.itemsize), str(int(indices.dtype == "int64"))))

    def memory(self, op: Operator, graph: Graph, params: DusParams) -> MemoryHints:
        return MemoryHints(inplace_input=0)

    def emit(self, op: Operator, graph: Graph, params: DusParams, ctx: EmitContext) -> None:
        ctx.use_kernel("dynamic_update_slice")
        fields = named("rank operand_dims update_dims elem_size indices_int64", params.fields)
        ctx.call(struct_call("dynamic_update_slice", fields,
                             [ctx.ptr(i) for i in op.inputs] + [ctx.ptr(op.outputs[0])]))
