"""MEAN (and, with compute_sum, SUM: sum.py) over constant axes (int8, float32), bit-exact
with TFLM's reference kernels.

Compile time: axes resolved (negative wrapped, duplicates dropped), the input split into kept
("outer") and reduced ("inner", ascending axes) loop nests with merged neighbours.
int8 follows TFLM's QuantizedMeanOrSum: the int32 sum of raw values, minus
input_zero_point * n, times the multiplier of input_scale / output_scale (double precision)
with 1/n folded in (shift = min(floor(log2 n), 32, 31 + shift); multiplier = (m << shift) / n),
plus the output zero point, clamped. float32 sums in input order and divides by n, as TFLM's
Mean does (its 4-D spatial special case adds in the same order, so one kernel matches both).
SUM is QuantizedMeanOrSum with compute_sum: the multiplier of input_scale / output_scale as it
is; float32 sums in the same order (ReduceGeneric), divided by 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_float, loops_initializer, pick, struct_call
from microforge.ops.base import Cost, EmitContext, OpDef, register
from microforge.ops.layout_common import const_ints, row_major_strides
from microforge.ops.quant import quantize_multiplier

MAX_LOOP_RANK = 6  # MF_MEAN_MAX_RANK in mean.h


def merge_loops(counts: list[int], strides: list[int]) -> tuple[list[int], list[int]]:
    """Drop unit loops and fuse neighbours that walk memory as one loop (order preserved)."""
    merged: list[tuple[int, int]] = []
    for count, stride in zip(counts, strides, strict=True):
        if count == 1:
            continue
        if merged and merged[-1][1] == stride * count:
            merged[-1] = (merged[-1][0] * count, stride)
        else:
            merged.append((count, stride))
    return [m[0] for m in merged], [m[1] for m in merged]


def mean_multiplier(input_scale: float, output_scale: float, n: int) -> tuple[int, int]:
    """TFLM's QuantizedMeanOrSum: QuantizeMultiplier(in/out), then 1/n folded in."""
    multiplier, shift = quantize_multiplier(float(input_scale) / float(output_scale))
    n_shift = min(n.bit_length() - 1, 32, 31 + shift)
    return (multiplier << n_shift) // n, shift - n_shift


@dataclass(frozen=True)
class MeanParams:
    dtype: str
    axes: tuple[int, ...]
    count: int  # reduced elements per output
    outer: tuple[tuple[int, ...], tuple[int, ...]]  # counts, strides (elements)
    inner: tuple[tuple[int, ...], tuple[int, ...]]
    bias: int = 0
    multiplier: int = 0
    shift: int = 0
    output_zero_point: int = 0

    def loops_init(self) -> str:
        return loops_initializer("mf_mean_loops", MAX_LOOP_RANK, self.outer, self.inner)


@register
class Mean(OpDef):
    op_type = "MEAN"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs an input and axes"
        if const_ints(graph, op, 1) is None:
            return "the axes are not a constant int32 tensor"
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if (x.dtype, out.dtype) == ("float32", "float32"):
            return None
        if (x.dtype, out.dtype) != ("int8", "int8"):
            return f"dtypes {x.dtype} -> {out.dtype} (only int8 and float32)"
        if x.quant is None or out.quant is None or x.quant.per_channel or out.quant.per_channel:
            return "int8 tensors need per-tensor quantization"
        return None

    def _axes(self, op: Operator, graph: Graph) -> tuple[int, ...]:
        rank = len(graph.tensors[op.inputs[0]].shape)
        resolved: list[int] = []
        for a in const_ints(graph, op, 1) or []:
            axis = a + rank if a < 0 else a
            if not 0 <= axis < rank:
                raise self.fail(op, f"axis {a} is out of range for rank {rank}")
            if axis not in resolved:
                resolved.append(axis)
        return tuple(sorted(resolved))

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        axes = self._axes(op, graph)
        kept = [d for k, d in enumerate(x.shape) if k not in axes]
        if out.num_elements != max(1, _prod(kept)) or x.num_elements == 0:
            raise self.fail(op, f"output shape {list(out.shape)} does not match the "
                                f"{self.op_type.lower()} of "
                                f"{list(x.shape)} over axes {list(axes)}")
        if len(kept) > MAX_LOOP_RANK or len(axes) > MAX_LOOP_RANK:
            raise self.fail(op, f"more than {MAX_LOOP_RANK} dimensions")

    compute_sum = False  # SUM (sum.py): no 1/n, in float and in the int8 multiplier

    def prepare(self, op: Operator, graph: Graph) -> MeanParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        axes = self._axes(op, graph)
        strides = row_major_strides(x.shape)
        keep = [k for k in range(len(x.shape)) if k not in axes]
        outer = merge_loops([x.shape[k] for k in keep], [strides[k] for k in keep])
        inner = merge_loops([x.shape[k] for k in axes], [strides[k] for k in axes])
        n = _prod([x.shape[k] for k in axes])
        loops = ((tuple(outer[0]), tuple(outer[1])), (tuple(inner[0]), tuple(inner[1])))
        if x.dtype == "float32":
            return MeanParams("float32", axes, 1 if self.compute_sum else n, *loops)
        what = self.op_type.lower()
        if n * (128 + abs(x.zero_point)) >= 2**31:
            raise self.fail(op, f"the {what} of {n:,} int8 values can overflow the int32 sum; "
                                "reduce over fewer elements")
        multiplier, shift = (quantize_multiplier(float(x.scale) / float(out.scale))
                             if self.compute_sum else mean_multiplier(x.scale, out.scale, n))
        return MeanParams("int8", axes, n, *loops, bias=-x.zero_point * n,
                          multiplier=multiplier, shift=shift, output_zero_point=out.zero_point)

    def cost(self, op: Operator, graph: Graph, params: MeanParams) -> Cost:
        return Cost(macs=graph.tensors[op.inputs[0]].num_elements)

    def emit(self, op: Operator, graph: Graph, params: MeanParams, ctx: EmitContext) -> None:
        ctx.use_kernel("mean")
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])]
        if params.dtype == "float32":
            ctx.call(struct_call("mean_f32", {"loops": params.loops_init(),
                                              "count": c_float(float(params.count))}, args))
            return
        fields = {"loops": params.loops_init(),
                  **pick(params, "bias multiplier shift output_zero_point")}
        ctx.call(struct_call("mean_s8", fields, args))


def _prod(values: list[int]) -> int:
    n = 1
    for v in values:
        n *= int(v)
    return n
