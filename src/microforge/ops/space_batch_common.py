"""SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND: what both share. As TFLM: rank 3 or 4 ([batch,
height, (width,) depth]; a 3-D tensor is read as [batch, height, 1, depth]), float32 and int8
moved raw, a constant int32 block shape and constant int32 paddings / crops (TFLM reads them at
run time; a model whose block or paddings are computed is refused). The loops are TFLite's
reference ones (kernels/space_batch.c), the geometry decided here."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import named, pick, struct_call
from microforge.ops.base import EmitContext, OpDef
from microforge.ops.layout_common import const_ints, same_dtype_reason

DTYPES = ("float32", "int8")


@dataclass(frozen=True)
class SpaceBatchParams:
    in_dims: tuple[int, int, int, int]  # batch, height, width, depth
    out_dims: tuple[int, int, int, int]
    block: tuple[int, int]
    top: int
    left: int
    elem_size: int
    pad_byte: int = 0


def as_4d(shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    if len(shape) == 3:
        return shape[0], shape[1], 1, shape[2]
    return shape[0], shape[1], shape[2], shape[3]


class SpaceBatchOp(OpDef):
    dtypes = DTYPES
    kernel = ""
    what = "paddings"  # the third input's name

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 3 or len(op.outputs) != 1:
            return f"needs an input, the block shape, the {self.what} and one output"
        x = graph.tensors[op.inputs[0]]
        if len(x.shape) not in (3, 4) or len(graph.tensors[op.outputs[0]].shape) != len(x.shape):
            return f"rank {len(x.shape)} (TFLM: 3 or 4, the output of the same rank)"
        for position, name in ((1, "block shape"), (2, self.what)):
            if (const_ints(graph, op, position) is None
                    or graph.tensors[op.inputs[position]].dtype != "int32"):
                return f"the {name} is not a constant int32 tensor"
        spatial = len(x.shape) - 2
        block, amounts = const_ints(graph, op, 1) or [], const_ints(graph, op, 2) or []
        if len(block) != spatial or len(amounts) != 2 * spatial:
            return (f"{len(block)} block sizes and {len(amounts)} {self.what} for "
                    f"{spatial} spatial dimensions")
        if any(b < 1 for b in block) or any(a < 0 for a in amounts):
            return f"block shape {block} and {self.what} {amounts} must be positive"
        return same_dtype_reason(op, graph, allowed=DTYPES)

    def geometry(self, op: Operator, graph: Graph) -> tuple[tuple[int, int], int, int, int, int]:
        """(block (h, w), top, bottom, left, right) in the 4-D reading."""
        block = const_ints(graph, op, 1) or []
        amounts = const_ints(graph, op, 2) or []
        if len(block) == 1:
            return (block[0], 1), amounts[0], amounts[1], 0, 0
        return (block[0], block[1]), amounts[0], amounts[1], amounts[2], amounts[3]

    def expected_output(self, op: Operator, graph: Graph) -> tuple[int, int, int, int]:
        raise NotImplementedError

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        out = as_4d(tuple(graph.tensors[op.outputs[0]].shape))
        expected = self.expected_output(op, graph)
        if out != expected:
            raise self.fail(op, f"output shape {list(graph.tensors[op.outputs[0]].shape)} "
                                f"differs from the block and {self.what}' {list(expected)}")

    def prepare(self, op: Operator, graph: Graph) -> SpaceBatchParams:
        x = graph.tensors[op.inputs[0]]
        block, top, _, left, _ = self.geometry(op, graph)
        out = graph.tensors[op.outputs[0]]
        pad = out.zero_point & 0xFF if out.dtype == "int8" and out.quant is not None else 0
        return SpaceBatchParams(as_4d(tuple(x.shape)), as_4d(tuple(out.shape)), block, top,
                                left, x.itemsize, pad)

    def emit(self, op: Operator, graph: Graph, params: SpaceBatchParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("space_batch")
        fields = {**named("in_batch in_height in_width", params.in_dims[:3]),
                  **named("out_batch out_height out_width", params.out_dims[:3]),
                  "depth": params.in_dims[3], **named("block_height block_width", params.block),
                  **pick(params, "top left elem_size pad_byte")}
        ctx.call(struct_call("space_batch", fields, [ctx.ptr(op.inputs[0]),
                                                     ctx.ptr(op.outputs[0])],
                             function=f"mf_{self.kernel}"))
