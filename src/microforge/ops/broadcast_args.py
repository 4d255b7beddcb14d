"""BROADCAST_ARGS (int32, int64): the broadcast shape of two shape vectors, as TFLite's
reference (aligned from the last dimension, missing dimensions read as 1). The shapes may be
computed (e.g. by SHAPE), so the kernel runs on the device; incompatible shapes (TFLM aborts)
give 0 where they clash."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register


@register
class BroadcastArgs(OpDef):
    op_type = "BROADCAST_ARGS"
    dtypes = ("int32", "int64")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs two shapes and one output"
        tensors = [graph.tensors[i] for i in (*op.inputs, *op.outputs)]
        if len({t.dtype for t in tensors}) != 1 or tensors[0].dtype not in self.dtypes:
            return f"dtypes {[t.dtype for t in tensors]} (int32 or int64, all the same)"
        if any(len(t.shape) != 1 for t in tensors):
            return "the shapes and the output must be vectors"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        n1, n2 = (graph.tensors[i].shape[0] for i in op.inputs)
        out = graph.tensors[op.outputs[0]].shape[0]
        if out != max(n1, n2):
            raise self.fail(op, f"output of {out} dimensions for shapes of {n1} and {n2}")

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        ctx.use_kernel("broadcast_args")
        suffix = "s32" if graph.tensors[op.outputs[0]].dtype == "int32" else "s64"
        (n1, n2), n_out = ((graph.tensors[i].shape[0] for i in op.inputs),
                           graph.tensors[op.outputs[0]].shape[0])
        ctx.call(f"mf_broadcast_args_{suffix}({n1}, {ctx.ptr(op.inputs[0])}, {n2}, "
                 f"{ctx.ptr(op.inputs[1])}, {n_out}, {ctx.ptr(op.outputs[0])});")
