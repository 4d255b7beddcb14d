"""BATCH_MATMUL: float32, int8 and int16, ranks 2..5 with batch broadcasting, adj_x / adj_y, as TFLM's
batch_matmul.cc. TFLM transposes into persistent buffers and multiplies the operands swapped;
the same sums come out of one strided loop (the transposes become strides, computed here):
float32 adds the K products in ascending order from 0 (identical to TFLM), int8 accumulates
(a - lhs zero point)(b - rhs zero point) in int32 and requantizes with the multiplier of
lhs_scale x rhs_scale / output_scale, clamped to int8 (no fused activation in TFLM); int16
(zero points 0, as TFLM's Prepare) sums in int64 and rescales with TFLite's int64
MultiplyByQuantizedMultiplier, as TFLM's BatchMatMul<int16_t, int64_t>."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_array, named, struct_call
from microforge.ops.base import Cost, EmitContext, OpDef, register
from microforge.ops.int16_common import INT64_ACC_LIMIT, MAX_INT64_SHIFT
from microforge.ops.layout_common import row_major_strides
from microforge.ops.quant import quantize_multiplier

MAX_RANK = 5
MAX_INT8_DEPTH = (2**31 - 1) // (255 * 255)  # the int32 accumulator cannot overflow


@dataclass(frozen=True)
class BatchMatMulParams:
    dtype: str
    fields: tuple[str, ...]
    macs: int


@register
class BatchMatMul(OpDef):
    op_type = "BATCH_MATMUL"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs two inputs and one output"
        a, b = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        if not a.dtype == b.dtype == out.dtype or out.dtype not in self.dtypes:
            return f"dtypes {a.dtype}/{b.dtype}/{out.dtype} (float32, int8 or int16)"
        if not (2 <= len(a.shape) <= MAX_RANK and 2 <= len(b.shape) <= MAX_RANK):
            return f"ranks {len(a.shape)} and {len(b.shape)} (TFLM: 2 to 5)"
        quantized = out.dtype in ("int8", "int16")
        if quantized and any(t.quant is None or t.quant.per_channel for t in (a, b, out)):
            return f"{out.dtype} tensors need one scale each"
        if out.dtype == "int8" and self._dims(op, graph)[2] > MAX_INT8_DEPTH:
            return f"inner dimension over {MAX_INT8_DEPTH} (the int32 sum could overflow)"
        if out.dtype == "int16":
            if a.zero_point or b.zero_point or out.zero_point:
                return "int16 with a zero point other than 0 (TFLM requires 0)"
            if self._dims(op, graph)[2] * 2**30 >= INT64_ACC_LIMIT:
                return "inner dimension too large for TFLite's int64 rescaling (|sum| < 2^47)"
            if quantize_multiplier(a.scale * b.scale / out.scale)[1] > MAX_INT64_SHIFT:
                return (f"output multiplier shift above {MAX_INT64_SHIFT} (TFLite's int64 "
                        "rescaling assumes less)")
        return None

    def _dims(self, op: Operator, graph: Graph) -> tuple[int, int, int, int]:
        """(M, N, K of the lhs, K of the rhs)."""
        a, b = graph.tensors[op.inputs[0]].shape, graph.tensors[op.inputs[1]].shape
        adj_x, adj_y = bool(op.options.get("adj_x")), bool(op.options.get("adj_y"))
        m, k_a = (a[-1], a[-2]) if adj_x else (a[-2], a[-1])
        k_b, n = (b[-1], b[-2]) if adj_y else (b[-2], b[-1])
        return int(m), int(n), int(k_a), int(k_b)

    def _batches(self, op: Operator, graph: Graph) -> tuple[list[int], list[int], list[int]]:
        """Output batch dims and each input's batch strides, extended to 3 batch dimensions."""
        a, b = graph.tensors[op.inputs[0]].shape, graph.tensors[op.inputs[1]].shape
        ea = (1,) * (MAX_RANK - len(a)) + tuple(a)
        eb = (1,) * (MAX_RANK - len(b)) + tuple(b)
        sa, sb = row_major_strides(ea), row_major_strides(eb)
        dims, a_strides, b_strides = [], [], []
        for i in range(3):
            if ea[i] != eb[i] and 1 not in (ea[i], eb[i]):
                raise self.fail(op, f"batch dimensions of {list(a)} and {list(b)} do not "
                                    "broadcast")
            dims.append(max(ea[i], eb[i]))
            a_strides.append(0 if ea[i] == 1 else sa[i])
            b_strides.append(0 if eb[i] == 1 else sb[i])
        return dims, a_strides, b_strides

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        m, n, k_a, k_b = self._dims(op, graph)
        if k_a != k_b:
            raise self.fail(op, f"inner dimensions differ ({k_a} and {k_b})")
        dims, _, _ = self._batches(op, graph)
        a, b = graph.tensors[op.inputs[0]].shape, graph.tensors[op.inputs[1]].shape
        rank = max(len(a), len(b))
        expected = [*dims[3 - (rank - 2):], m, n] if rank > 2 else [m, n]
        out = graph.tensors[op.outputs[0]]
        if list(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} differs from {expected}")

    def prepare(self, op: Operator, graph: Graph) -> BatchMatMulParams:
        a, b = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        m, n, k, _ = self._dims(op, graph)
        dims, a_strides, b_strides = self._batches(op, graph)
        adj_x, adj_y = bool(op.options.get("adj_x")), bool(op.options.get("adj_y"))
        lhs_row, lhs_depth = (1, m) if adj_x else (k, 1)
        rhs_depth, rhs_col = (1, k) if adj_y else (n, 1)
        quant = ["0"] * 5
        if out.dtype in ("int8", "int16"):
            mult, shift = quantize_multiplier(float(a.scale) * float(b.scale) / float(out.scale))
            quant = [str(-a.zero_point), str(-b.zero_point), str(out.zero_point), str(mult),
                     str(shift)]
        fields = (c_array(dims), c_array(a_strides), c_array(b_strides), str(m), str(n), str(k),
                  str(lhs_row), str(lhs_depth), str(rhs_depth), str(rhs_col), *quant)
        return BatchMatMulParams(out.dtype, fields, dims[0] * dims[1] * dims[2] * m * n * k)

    def cost(self, op: Operator, graph: Graph, params: BatchMatMulParams) -> Cost:
        return Cost(macs=params.macs)

    def emit(self, op: Operator, graph: Graph, params: BatchMatMulParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("mf_requantize64")  # header only, included by batch_matmul.c
        ctx.use_kernel("batch_matmul")
        suffix = {"float32": "f32", "int8": "s8", "int16": "s16"}[params.dtype]
        fields = named("batch lhs_batch rhs_batch rows cols depth lhs_row lhs_depth rhs_depth "
                       "rhs_col lhs_offset rhs_offset output_offset multiplier shift",
                       params.fields)
        ctx.call(struct_call("batch_matmul", fields, [ctx.ptr(op.inputs[0]),
                                                      ctx.ptr(op.inputs[1]),
                                                      ctx.ptr(op.outputs[0])],
                             function=f"mf_batch_matmul_{suffix}"))
