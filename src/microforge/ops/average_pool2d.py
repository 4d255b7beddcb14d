"""AVERAGE_POOL_2D: int8 and int16 (16x8; same quantization in and out, TFLM's rounding
division) and float32."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import (
    ACTIVATIONS,
    activation_of,
    float_activation_range,
    int8_activation_range,
    named,
    padding_and_output,
    pick,
    struct_call,
)
from microforge.ops.base import Cost, EmitContext, OpDef, register
from microforge.ops.int16_common import activation_range_int16

# the shape fields of the pooling parameter structs, in AveragePoolParams.geometry order
POOL_FIELDS = ("batches in_h in_w channels out_h out_w filter_h filter_w stride_h stride_w pad_h "
               "pad_w")


@dataclass(frozen=True)
class AveragePoolParams:
    dtype: str
    geometry: tuple[int, ...]  # batches, in_h, in_w, channels, out_h, out_w, fh, fw, sh, sw, ph, pw
    act_min: int = -128
    act_max: int = 127


def pool_dsp_applies(params: AveragePoolParams) -> bool:
    """mf_average_pool2d_s8_dsp (average_pool2d_s8_dsp.h): int8, a multiple of 4 channels, a
    window of at most 255 values (its sums fit int16)."""
    return (params.dtype == "int8" and params.geometry[3] % 4 == 0
            and params.geometry[6] * params.geometry[7] <= 255)


@register
class AveragePool2D(OpDef):
    op_type = "AVERAGE_POOL_2D"
    dtypes: ClassVar[tuple[str, ...]] = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if activation_of(op) not in ACTIVATIONS:
            return f"fused activation {activation_of(op)}"
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if (x.dtype, out.dtype) == ("float32", "float32"):
            return None
        if (x.dtype, out.dtype) in (("int8", "int8"), ("int16", "int16")):
            if x.quant is None or out.quant is None:
                return f"{x.dtype} tensors without quantization parameters"
            if (x.scale, x.zero_point) != (out.scale, out.zero_point):
                return "input and output quantization differ"
            return None
        return f"dtypes {(x.dtype, out.dtype)} not implemented"

    def _geometry(self, op: Operator, graph: Graph) -> tuple[int, ...]:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if len(x.shape) != 4 or len(out.shape) != 4:
            raise self.fail(op, "input and output must be 4-D (NHWC)")
        o = op.options
        fh, fw = int(o.get("filter_height", 1)), int(o.get("filter_width", 1))
        sh, sw = int(o.get("stride_h", 1)), int(o.get("stride_w", 1))
        if min(fh, fw, sh, sw) < 1:
            raise self.fail(op, "filter size and strides must be >= 1")
        padding = str(o.get("padding", "VALID"))
        pad_h, out_h = padding_and_output(x.shape[1], fh, sh, 1, padding, op=op)
        pad_w, out_w = padding_and_output(x.shape[2], fw, sw, 1, padding, op=op)
        if tuple(out.shape) != (x.shape[0], out_h, out_w, x.shape[3]):
            raise self.fail(op, f"output shape {list(out.shape)} does not match the computed "
                                f"{[x.shape[0], out_h, out_w, x.shape[3]]}")
        return (x.shape[0], x.shape[1], x.shape[2], x.shape[3], out_h, out_w, fh, fw, sh, sw,
                pad_h, pad_w)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self._geometry(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> AveragePoolParams:
        geometry = self._geometry(op, graph)
        out = graph.tensors[op.outputs[0]]
        if out.dtype == "float32":
            return AveragePoolParams("float32", geometry)
        if out.dtype == "int16":
            lo, hi = activation_range_int16(op, out)
        else:
            lo, hi = int8_activation_range(op, out)
        return AveragePoolParams(out.dtype, geometry, lo, hi)

    def cost(self, op: Operator, graph: Graph, params: AveragePoolParams) -> Cost:
        out = graph.tensors[op.outputs[0]]
        return Cost(macs=out.num_elements * params.geometry[6] * params.geometry[7])

    def emit(self, op: Operator, graph: Graph, params: AveragePoolParams,
             ctx: EmitContext) -> None:
        x, out = ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])
        if params.dtype == "float32":
            lo, hi = float_activation_range(op)
            ctx.use_kernel("average_pool2d_f32")
            ctx.call(struct_call("average_pool2d_f32", {**named(POOL_FIELDS, params.geometry),
                                                        "act_min": lo, "act_max": hi}, [x, out]))
            return
        kernel = "average_pool2d_s16" if params.dtype == "int16" else "average_pool2d_s8"
        ctx.use_kernel(kernel)
        function = ctx.kernel_function(kernel, params)
        ctx.call(struct_call(kernel, {**named(POOL_FIELDS, params.geometry),
                                      **pick(params, "act_min act_max")}, [x, out],
                             function=function))
