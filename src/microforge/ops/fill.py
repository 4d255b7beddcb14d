"""FILL (float32, int32, int8): the output, of the shape its constant dims give, every element
the scalar value tensor's (read at run time: it may be a graph input), as TFLM's fill.cc, which
also needs constant dims equal to the output shape and a value of the output's dtype. int8
copies the raw value whatever the quantization (TFLM does the same)."""

from __future__ import annotations

from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import const_ints

KERNEL = "fill"
_SUFFIX = {"float32": "f32", "int32": "s32", "int8": "s8"}


@register
class Fill(OpDef):
    op_type = "FILL"
    dtypes = tuple(_SUFFIX)

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs dims, a value and one output"
        if const_ints(graph, op, 0) is None:
            return "the dims are not a constant int32/int64 tensor (TFLM needs them constant)"
        value, out = graph.tensors[op.inputs[1]], graph.tensors[op.outputs[0]]
        if out.dtype not in _SUFFIX:
            return f"{out.dtype} output (TFLM fills {', '.join(_SUFFIX)})"
        if value.dtype != out.dtype:
            return f"the value is {value.dtype} but the output {out.dtype}"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        dims = const_ints(graph, op, 0) or []
        value, out = graph.tensors[op.inputs[1]], graph.tensors[op.outputs[0]]
        if value.shape:
            raise self.fail(op, f"the value has shape {list(value.shape)}, not a scalar")
        if dims != list(out.shape):
            raise self.fail(op, f"dims {dims} differ from the output shape {list(out.shape)}")

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        out = graph.tensors[op.outputs[0]]
        ctx.use_kernel(KERNEL)
        ctx.call(f"mf_fill_{_SUFFIX[out.dtype]}({ctx.ptr(op.outputs[0])}, {out.num_elements}, "
                 f"({ctx.ptr(op.inputs[1])})[0]);")
