"""RESIZE_NEAREST_NEIGHBOR: float32, int8 and int16 (TFLM's set; a copy: output quantization as the input's),
NHWC, constant size; align_corners and half_pixel_centers as TFLite's GetNearestNeighbor,
evaluated at compile time in float32 into a source row / column table."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import named, struct_call
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.quant import round_half_away
from microforge.ops.resize_common import ResizeOp

f32 = np.float32


def nearest_map(in_size: int, out_size: int, align_corners: bool,
                half_pixel_centers: bool) -> np.ndarray:
    """Source index of every output index, as TFLite's GetNearestNeighbor (float32)."""
    if align_corners and out_size > 1:
        scale = f32(in_size - 1) / f32(out_size - 1)
    else:
        scale = f32(in_size) / f32(out_size)
    offset = f32(0.5 if half_pixel_centers else 0.0)
    values = []
    for i in range(out_size):
        v = f32(f32(i) + offset) * scale
        index = round_half_away(float(v)) if align_corners else math.floor(float(v))
        index = min(index, in_size - 1)
        values.append(max(0, index) if half_pixel_centers else index)
    return np.array(values, dtype=np.int32)


@dataclass(frozen=True)
class ResizeNearestParams:
    fields: tuple[int, ...]
    y_map: np.ndarray
    x_map: np.ndarray


@register
class ResizeNearestNeighbor(ResizeOp):
    op_type = "RESIZE_NEAREST_NEIGHBOR"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.resize_problem(op, graph)
        if problem:
            return problem
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if x.dtype != "float32" and (x.quant != out.quant):
            return "output quantization differs from the input's (TFLM copies the values)"
        return None

    def prepare(self, op: Operator, graph: Graph) -> ResizeNearestParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        align = bool(op.options.get("align_corners", False))
        half = bool(op.options.get("half_pixel_centers", False))
        n, in_h, in_w, c = (int(v) for v in x.shape)
        out_h, out_w = int(out.shape[1]), int(out.shape[2])
        return ResizeNearestParams(
            (n, in_h, in_w, out_h, out_w, c * x.itemsize),
            nearest_map(in_h, out_h, align, half), nearest_map(in_w, out_w, align, half))

    def cost(self, op: Operator, graph: Graph, params: ResizeNearestParams) -> Cost:
        return Cost(weight_bytes=int(params.y_map.nbytes + params.x_map.nbytes))

    def emit(self, op: Operator, graph: Graph, params: ResizeNearestParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("resize_nearest")
        y_map = ctx.const(f"op{op.index}_y_map", params.y_map)
        x_map = ctx.const(f"op{op.index}_x_map", params.x_map)
        ctx.call(struct_call("resize_nearest",
                             named("batches in_h in_w out_h out_w depth_bytes", params.fields),
                             [y_map, x_map, ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])]))
