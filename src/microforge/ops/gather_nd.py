"""GATHER_ND (float32, int8 params; int32 indices, constant or computed), as TFLM's
gather_nd.cc: output shape indices.shape[:-1] + params.shape[depth:], where depth (at most 5)
is the last dimension of the indices; every index vector selects one slice of params. An index
vector outside params (TFLM fails the invoke) yields a zero slice; constant indices are
checked here, so a model with one out of range is refused."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_array, pick, struct_call
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import LAYOUT_DTYPES, row_major_strides, same_dtype_reason

MAX_DEPTH = 5  # TFLM's MAX_INDICES_ND


@dataclass(frozen=True)
class GatherNdParams:
    slices: int
    depth: int
    slice_size: int
    params_size: int
    strides: tuple[int, ...]
    elem_size: int


@register
class GatherNd(OpDef):
    op_type = "GATHER_ND"
    dtypes = LAYOUT_DTYPES

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs params, indices and one output"
        params, indices = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        if indices.dtype != "int32":
            return f"{indices.dtype} indices (TFLM: int32)"
        if not params.shape or not indices.shape:
            return "params and indices must be at least vectors"
        depth = indices.shape[-1]
        if depth > len(params.shape) or depth > MAX_DEPTH:
            return f"index depth {depth} over the params rank {len(params.shape)} or {MAX_DEPTH}"
        return same_dtype_reason(op, graph)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        params, indices = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        depth = indices.shape[-1]
        expected = [*indices.shape[:-1], *params.shape[depth:]]
        if list(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} differs from {expected}")
        if indices.data is not None and depth:
            bounds = np.asarray(params.shape[:depth])
            flat = indices.data.reshape(-1, depth)
            bad = np.flatnonzero(((flat < 0) | (flat >= bounds)).any(axis=1))
            if bad.size:
                raise self.fail(op, f"index vector {flat[bad[0]].tolist()} is outside params "
                                    f"of shape {list(params.shape)}")

    def prepare(self, op: Operator, graph: Graph) -> GatherNdParams:
        params, indices = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        depth = indices.shape[-1]
        slice_size = int(np.prod(params.shape[depth:], dtype=np.int64))
        slices = int(np.prod(indices.shape[:-1], dtype=np.int64))
        strides = row_major_strides(params.shape)[:depth]
        return GatherNdParams(slices, depth, slice_size, params.num_elements, strides,
                              params.itemsize)

    def emit(self, op: Operator, graph: Graph, params: GatherNdParams, ctx: EmitContext) -> None:
        ctx.use_kernel("gather_nd")
        fields = {**pick(params, "slices slice_size params_size elem_size"),
                  "index_depth": params.depth, "strides": c_array(params.strides, MAX_DEPTH)}
        ctx.call(struct_call("gather_nd", fields, [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]),
                                                   ctx.ptr(op.outputs[0])]))
