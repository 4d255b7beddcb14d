"""EMBEDDING_LOOKUP: rows of a table (rank >= 2) picked by a vector of int32 ids, as TFLM's
embedding_lookup.cc: float32 -> float32 and int8 -> int8 copy the rows (GATHER's kernel, axis
0); int8 -> float32 (hybrid) dequantizes them, (value - 0) x scale, zero point 0 required. An id
outside the table (TFLM fails the invoke) gives a zero row; constant ids are checked here."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.c_literals import c_float
from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, struct_call
from microforge.ops.base import EmitContext, OpDef, register

IDS, TABLE = 0, 1


@dataclass(frozen=True)
class EmbeddingParams:
    hybrid: bool
    rows: int
    columns: int
    count: int
    row_bytes: int
    scale: float = 0.0


@register
class EmbeddingLookup(OpDef):
    op_type = "EMBEDDING_LOOKUP"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs the ids, the table and one output"
        ids, table = graph.tensors[op.inputs[IDS]], graph.tensors[op.inputs[TABLE]]
        out = graph.tensors[op.outputs[0]]
        if ids.dtype != "int32" or len(ids.shape) != 1:
            return f"{ids.dtype} ids of rank {len(ids.shape)} (TFLM: an int32 vector)"
        if len(table.shape) < 2:
            return "the table must have rank >= 2"
        kinds = (table.dtype, out.dtype)
        if kinds in (("float32", "float32"), ("int8", "int8")):
            return None
        if kinds == ("int8", "float32"):
            if table.quant is None or table.quant.per_channel or table.zero_point != 0:
                return "a hybrid table needs one scale and zero point 0 (as TFLM)"
            return None
        return f"table/output dtypes {kinds} not implemented"

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        ids, table = graph.tensors[op.inputs[IDS]], graph.tensors[op.inputs[TABLE]]
        out = graph.tensors[op.outputs[0]]
        expected = [ids.shape[0], *table.shape[1:]]
        if list(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} should be {expected}")
        if ids.data is not None:
            bad = [int(v) for v in ids.data.reshape(-1) if not 0 <= v < table.shape[0]]
            if bad:
                raise self.fail(op, f"id {bad[0]} is outside the table's {table.shape[0]} rows")

    def prepare(self, op: Operator, graph: Graph) -> EmbeddingParams:
        ids, table = graph.tensors[op.inputs[IDS]], graph.tensors[op.inputs[TABLE]]
        out = graph.tensors[op.outputs[0]]
        rows = int(table.shape[0])
        columns = table.num_elements // rows
        hybrid = table.dtype == "int8" and out.dtype == "float32"
        return EmbeddingParams(hybrid, rows, columns, int(ids.shape[0]),
                               columns * table.itemsize,
                               float(table.scale) if hybrid else 0.0)

    def emit(self, op: Operator, graph: Graph, params: EmbeddingParams,
             ctx: EmitContext) -> None:
        ids, table, out = (ctx.ptr(op.inputs[IDS]), ctx.ptr(op.inputs[TABLE]),
                           ctx.ptr(op.outputs[0]))
        p = params
        if p.hybrid:
            ctx.use_kernel("embedding_lookup")
            ctx.call(struct_call("embedding_lookup", {**pick(p, "rows columns count"),
                                                      "scale": c_float(p.scale)},
                                 [ids, table, out], function="mf_embedding_lookup_hybrid"))
            return
        ctx.use_kernel("gather")
        ctx.call(struct_call("gather", {"batch_size": 1, "outer_size": 1, "axis_size": p.rows,
                                        "coord_size": p.count, "inner_bytes": p.row_bytes},
                             [table, ids, out]))
