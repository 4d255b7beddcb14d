"""REDUCE_MAX and REDUCE_MIN, shared (float32, int8; constant axes; keep_dims either way).

As TFLM's ReduceGeneric with MinMaxReducerCompare: the result starts at the type's lowest /
highest value and takes an element when it compares strictly greater / smaller, so the order
of the loops does not matter and a NaN never replaces a float result. int8 input and output
must share scale and zero point (TFLM's Eval checks it), so raw values are compared and the
result is bit-exact. The axes become kept and reduced loop nests (`mean.merge_loops`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import loops_initializer
from microforge.ops.base import Cost, EmitContext, OpDef
from microforge.ops.layout_common import LAYOUT_DTYPES, const_ints, row_major_strides
from microforge.ops.mean import merge_loops

KERNEL = "reduce_min_max"
MAX_LOOP_RANK = 6  # MF_REDUCE_MAX_RANK in reduce_min_max.h
_SUFFIX = {"float32": "f32", "int8": "s8"}


@dataclass(frozen=True)
class ReduceParams:
    axes: tuple[int, ...]
    outer: tuple[tuple[int, ...], tuple[int, ...]]  # counts, strides (elements)
    inner: tuple[tuple[int, ...], tuple[int, ...]]

    def loops_init(self) -> str:
        return loops_initializer("mf_reduce_loops", MAX_LOOP_RANK, self.outer, self.inner)


class ReduceMinMaxBase(OpDef):
    dtypes: ClassVar[tuple[str, ...]] = LAYOUT_DTYPES
    function: ClassVar[str] = ""

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs an input and axes"
        if const_ints(graph, op, 1) is None:
            return "the axes are not a constant int32 tensor"
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype != out.dtype or x.dtype not in _SUFFIX:
            return f"dtypes {x.dtype} -> {out.dtype} (only int8 and float32)"
        if x.dtype == "int8":
            if x.quant is None or out.quant is None or x.quant.per_channel or out.quant.per_channel:
                return "int8 tensors need per-tensor quantization"
            if x.scale != out.scale or x.zero_point != out.zero_point:
                return "int8 input and output quantized differently (TFLM rejects this too)"
        return None

    def _axes(self, op: Operator, graph: Graph) -> tuple[int, ...]:
        rank = len(graph.tensors[op.inputs[0]].shape)
        resolved: set[int] = set()
        for a in const_ints(graph, op, 1) or []:
            axis = a + rank if a < 0 else a
            if not 0 <= axis < rank:
                raise self.fail(op, f"axis {a} is out of range for rank {rank}")
            resolved.add(axis)
        return tuple(sorted(resolved))

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        axes = self._axes(op, graph)
        kept = 1
        for k, d in enumerate(x.shape):
            kept *= 1 if k in axes else int(d)
        if out.num_elements != kept or x.num_elements == 0:
            raise self.fail(op, f"output shape {list(out.shape)} does not match the reduction "
                                f"of {list(x.shape)} over axes {list(axes)}")

    def prepare(self, op: Operator, graph: Graph) -> ReduceParams:
        x = graph.tensors[op.inputs[0]]
        axes = self._axes(op, graph)
        strides = row_major_strides(x.shape)
        keep = [k for k in range(len(x.shape)) if k not in axes]
        outer = merge_loops([x.shape[k] for k in keep], [strides[k] for k in keep])
        inner = merge_loops([x.shape[k] for k in axes], [strides[k] for k in axes])
        if len(outer[0]) > MAX_LOOP_RANK or len(inner[0]) > MAX_LOOP_RANK:
            raise self.fail(op, f"more than {MAX_LOOP_RANK} loop levels")
        return ReduceParams(axes, (tuple(outer[0]), tuple(outer[1])),
                            (tuple(inner[0]), tuple(inner[1])))

    def cost(self, op: Operator, graph: Graph, params: ReduceParams) -> Cost:
        return Cost(macs=graph.tensors[op.inputs[0]].num_elements)

    def emit(self, op: Operator, graph: Graph, params: ReduceParams, ctx: EmitContext) -> None:
        ctx.use_kernel(KERNEL)
        suffix = _SUFFIX[graph.tensors[op.inputs[0]].dtype]
        ctx.call(f"{{ static const mf_reduce_loops p = {params.loops_init()}; "
                 f"{self.function}_{suffix}(&p, {ctx.ptr(op.inputs[0])}, "
                 f"{ctx.ptr(op.outputs[0])}); }}")
