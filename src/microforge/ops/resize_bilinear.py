"""RESIZE_BILINEAR: float32 and int8, NHWC, constant size, align_corners / half_pixel_centers,
as TFLM (resize_bilinear.cc): float32 through TFLite's ResizeBilinear<float>, int8 through
ResizeBilinearInteger (10-bit fixed point, double rounding, no float). The rows, columns and
weights of every output row / column are TFLite's ComputeInterpolationValues(Integer),
evaluated here (float32 steps as the C++ takes them); the kernel (resize_bilinear.c) only
multiplies and adds in TFLite's order. int8 moves values on the input's scale: TFLM does not
rescale, so the output quantization must equal the input's."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import named, struct_call
from microforge.ops.base import Cost, EmitContext, register
from microforge.ops.resize_common import ResizeOp

f32 = np.float32


def _trunc_div(a: int, b: int) -> int:
    """C integer division (toward zero), b > 0."""
    return -((-a) // b) if a < 0 else a // b


def float_axis(in_size: int, out_size: int, align: bool,
               half: bool) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) indices [out][2] and (1 - t, t) float32 weights [out][2]."""
    scale = f32(in_size) / f32(out_size)
    if align and out_size > 1:
        scale = f32(in_size - 1) / f32(out_size - 1)
    bounds, weights = [], []
    for v in range(out_size):
        scaled = f32(f32(f32(v) + f32(0.5)) * scale) - f32(0.5) if half else f32(v) * scale
        lower = max(int(math.floor(float(scaled))), 0)
        upper = min(int(math.ceil(float(scaled))), in_size - 1)
        t = f32(scaled - f32(lower))
        bounds.append((lower, upper))
        weights.append((f32(1) - t, t))
    return np.asarray(bounds, np.int32), np.asarray(weights, np.float32)


def integer_axis(in_size: int, out_size: int, align: bool,
                 half: bool) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) indices [out][2] and the Q10 offsets [out] of ResizeBilinearInteger."""
    scale = ((1 << 10) * in_size + out_size // 2) // out_size
    if align and out_size > 1:
        scale = ((1 << 10) * (in_size - 1) + (out_size - 1) // 2) // (out_size - 1)
    bounds, offsets = [], []
    for v in range(out_size):
        scaled = v * scale + scale // 2 - (1 << 9) if half else v * scale
        lower = max(_trunc_div(scaled, 1 << 10), 0)
        upper = min(_trunc_div(scaled + (1 << 10) - 1, 1 << 10), in_size - 1)
        bounds.append((lower, upper))
        offsets.append(scaled - (1 << 10) * lower)
    return np.asarray(bounds, np.int32), np.asarray(offsets, np.int32)


@dataclass(frozen=True)
class ResizeBilinearParams:
    dtype: str
    fields: tuple[int, ...]
    rows: np.ndarray
    cols: np.ndarray
    wy: np.ndarray
    wx: np.ndarray


@register
class ResizeBilinear(ResizeOp):
    op_type = "RESIZE_BILINEAR"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.resize_problem(op, graph)
        if problem:
            return problem
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if op.options.get("align_corners") and op.options.get("half_pixel_centers"):
            return "align_corners with half_pixel_centers (TFLM refuses it)"
        if x.dtype == "int8" and x.quant != out.quant:
            return "output quantization differs from the input's (TFLM does not rescale)"
        return None

    def prepare(self, op: Operator, graph: Graph) -> ResizeBilinearParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        align = bool(op.options.get("align_corners", False))
        half = bool(op.options.get("half_pixel_centers", False))
        n, in_h, in_w, c = (int(v) for v in x.shape)
        out_h, out_w = int(out.shape[1]), int(out.shape[2])
        axis = float_axis if x.dtype == "float32" else integer_axis
        rows, wy = axis(in_h, out_h, align, half)
        cols, wx = axis(in_w, out_w, align, half)
        return ResizeBilinearParams(x.dtype, (n, in_h, in_w, out_h, out_w, c), rows, cols, wy,
                                    wx)

    def cost(self, op: Operator, graph: Graph, params: ResizeBilinearParams) -> Cost:
        out = graph.tensors[op.outputs[0]]
        tables = params.rows.nbytes + params.cols.nbytes + params.wy.nbytes + params.wx.nbytes
        return Cost(macs=4 * out.num_elements, weight_bytes=int(tables))

    def emit(self, op: Operator, graph: Graph, params: ResizeBilinearParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("resize_bilinear")
        tables = [ctx.const(f"op{op.index}_{name}", getattr(params, name))
                  for name in ("rows", "cols", "wy", "wx")]
        suffix = "f32" if params.dtype == "float32" else "s8"
        fields = named("batches in_h in_w out_h out_w depth", params.fields)
        ctx.call(struct_call("resize_bilinear", fields,
                             [*tables, ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])],
                             function=f"mf_resize_bilinear_{suffix}"))
