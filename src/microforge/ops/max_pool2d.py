"""MAX_POOL_2D (NHWC, int8/int16 (16x8)/float32, SAME/VALID, strides, fused activation).

Padding and output size come from TFLite's ComputePaddingHeightWidth, the activation clamp
from CalculateActivationRange(Quantized), all at compile time. int8 needs the input and
output to share scale and zero point (TFLM's Prepare checks |scale difference| <= 1e-6), so
the kernel takes a plain maximum: bit-exact with TFLM's reference MaxPool.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import (
    ACTIVATIONS,
    activation_of,
    float_activation_range,
    int8_activation_range,
    padding_and_output,
    pick,
    struct_call,
)
from microforge.ops.base import Cost, EmitContext, OpDef, register
from microforge.ops.int16_common import activation_range_int16


@dataclass(frozen=True)
class MaxPool2DParams:
    dtype: str
    batches: int
    in_h: int
    in_w: int
    depth: int
    out_h: int
    out_w: int
    stride_h: int
    stride_w: int
    filter_h: int
    filter_w: int
    pad_h: int
    pad_w: int
    act_min: int | str  # int8: quantized clamp; float32: C expressions
    act_max: int | str

    def fields(self) -> dict[str, object]:
        """The fields of the mf_max_pool2d_* parameter structs."""
        return pick(self, "batches in_h in_w depth out_h out_w stride_h stride_w filter_h "
                          "filter_w pad_h pad_w act_min act_max")


@register
class MaxPool2D(OpDef):
    op_type = "MAX_POOL_2D"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 1 or len(op.outputs) != 1:
            return "needs one input and one output"
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if activation_of(op) not in ACTIVATIONS:
            return f"fused activation {activation_of(op)}"
        if op.options.get("padding") not in ("SAME", "VALID"):
            return f"padding {op.options.get('padding')}"
        if (x.dtype, out.dtype) == ("float32", "float32"):
            return None
        if (x.dtype, out.dtype) not in (("int8", "int8"), ("int16", "int16")):
            return f"dtypes {x.dtype} -> {out.dtype} (only int8, int16 and float32)"
        if x.quant is None or out.quant is None or x.quant.per_channel or out.quant.per_channel:
            return f"{x.dtype} tensors need per-tensor quantization"
        if abs(x.scale - out.scale) > 1e-6 or x.zero_point != out.zero_point:
            return "input and output quantization differ (TFLM rejects this too)"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if len(x.shape) != 4 or len(out.shape) != 4:
            raise self.fail(op, f"input {list(x.shape)} and output {list(out.shape)} must be 4-D")
        p = self.prepare(op, graph)
        expected = (p.batches, p.out_h, p.out_w, p.depth)
        if tuple(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} should be {list(expected)}")

    def prepare(self, op: Operator, graph: Graph) -> MaxPool2DParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        o = op.options
        stride_h, stride_w = int(o.get("stride_h", 1)), int(o.get("stride_w", 1))
        filter_h, filter_w = int(o.get("filter_height", 1)), int(o.get("filter_width", 1))
        if min(stride_h, stride_w, filter_h, filter_w) < 1:
            raise self.fail(op, "strides and filter sizes must be at least 1")
        batches, in_h, in_w, depth = x.shape
        pad_h, out_h = padding_and_output(in_h, filter_h, stride_h, 1, str(o.get("padding")), op=op)
        pad_w, out_w = padding_and_output(in_w, filter_w, stride_w, 1, str(o.get("padding")), op=op)
        act: tuple[int, int] | tuple[str, str]
        if x.dtype == "int16":
            act = activation_range_int16(op, out)
        else:
            act = (int8_activation_range(op, out) if x.dtype == "int8"
                   else float_activation_range(op))
        return MaxPool2DParams(x.dtype, batches, in_h, in_w, depth, out_h, out_w, stride_h,
                               stride_w, filter_h, filter_w, pad_h, pad_w, act[0], act[1])

    def cost(self, op: Operator, graph: Graph, params: MaxPool2DParams) -> Cost:
        window = params.filter_h * params.filter_w
        return Cost(macs=params.batches * params.out_h * params.out_w * params.depth * window)

    def emit(self, op: Operator, graph: Graph, params: MaxPool2DParams, ctx: EmitContext) -> None:
        kernel = {"int8": "max_pool2d_s8", "int16": "max_pool2d_s16"}.get(params.dtype,
                                                                          "max_pool2d_f32")
        ctx.use_kernel(kernel)
        ctx.call(struct_call(kernel, params.fields(),
                             [ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])]))
