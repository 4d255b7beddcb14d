"""CONV_2D: int8 (per-channel weights), int16 activations with int8 weights (16x8: int64 or
int32 bias, kernels/conv2d_s16.c) and float32, strides, dilations, SAME/VALID, groups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ops._support import (
    ACTIVATIONS,
    activation_of,
    check_int8_accumulator,
    float_activation_range,
    int8_activation_range,
    padding_and_output,
    per_channel_multipliers,
    pick,
    struct_call,
)
from microforge.ops.base import Cost, EmitContext, MemoryHints, OpDef, register
from microforge.ops.int16_common import (
    activation_range_int16,
    bias_is_wide,
    check_int16_accumulator,
    conv_16x8_problem,
    shift_problem,
)


@dataclass(frozen=True)
class Conv2DParams:
    dtype: str
    batches: int
    in_h: int
    in_w: int
    in_c: int
    out_h: int
    out_w: int
    out_c: int
    filter_h: int
    filter_w: int
    filter_in_c: int
    stride_h: int
    stride_w: int
    dilation_h: int
    dilation_w: int
    pad_h: int
    pad_w: int
    input_offset: int = 0
    output_offset: int = 0
    multiplier: np.ndarray | None = None
    shift: np.ndarray | None = None
    act_min: int = -128
    act_max: int = 127
    bias_folded: np.ndarray | None = None  # int8 1x1 fast path: bias + input_offset * sum(w)
    weight_scale: np.ndarray | None = None  # hybrid only
    bias64: np.ndarray | None = None  # int16 (16x8) only: the bias as int64, or None
    wide: bool = True  # int16 only: TFLM's int64 accumulator (False: int32, int32 bias)

    @property
    def pointwise(self) -> bool:
        return self.bias_folded is not None

    def geometry(self) -> dict[str, object]:
        """The shape fields of the mf_conv2d_* parameter structs."""
        return pick(self, "batches in_h in_w in_c out_h out_w out_c filter_h filter_w "
                          "filter_in_c stride_h stride_w dilation_h dilation_w pad_h pad_w")


def conv_unsupported_reason(op: Operator, graph: Graph, hybrid: bool = False) -> str | None:
    """Shared by CONV_2D and DEPTHWISE_CONV_2D: dtype combinations the kernels implement
    (hybrid: float activations with int8 weights, CONV_2D only)."""
    if activation_of(op) not in ACTIVATIONS:
        return f"fused activation {activation_of(op)}"
    if len(op.inputs) < 2:
        return "needs input and filter"
    x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
    out = graph.tensors[op.outputs[0]]
    if not w.is_constant:
        return "filter is not constant"
    bias = bias_tensor(op, graph)
    kinds = (x.dtype, w.dtype, out.dtype)
    if kinds == ("float32", "float32", "float32"):
        return None
    if x.dtype == "int16":
        # CONV_2D (the hybrid-capable caller) takes an int32 bias, DEPTHWISE_CONV_2D does not
        return conv_16x8_problem(op, graph, bias, int32_bias=hybrid) or shift_problem(
            per_channel_multipliers(x, w, out, out.shape[-1] if out.shape else 1)[1]
            if bias_is_wide(op, bias) else np.zeros(0, np.int8))
    if kinds == ("int8", "int8", "int8"):
        if x.quant is None or w.quant is None or out.quant is None:
            return "int8 tensors without quantization parameters"
        if any(z != 0 for z in w.quant.zero_point):
            return "filter zero point is not 0"
        if bias is not None and (bias.dtype != "int32" or not bias.is_constant):
            return f"{bias.dtype} bias (needs constant int32)"
        return None
    if kinds == ("float32", "int8", "float32") and hybrid:
        if w.quant is None or any(z != 0 for z in w.quant.zero_point):
            return "hybrid weights need symmetric quantization"
        if op.options.get("dilation_h_factor", 1) != 1 or op.options.get("dilation_w_factor", 1) != 1:
            return "dilated hybrid convolution (TFLite's reference ignores the dilation)"
        if bias is not None and bias.dtype != "float32":
            return f"hybrid with {bias.dtype} bias"
        return None
    if kinds[0] == "float32" and kinds[1] == "int8":
        return "hybrid (int8 weights, float activations) not implemented"
    return f"dtypes {kinds} not implemented"


def bias_tensor(op: Operator, graph: Graph):
    if len(op.inputs) > 2 and op.inputs[2] != NO_TENSOR:
        return graph.tensors[op.inputs[2]]
    return None


def spatial(op: Operator, graph: Graph, filter_h: int, filter_w: int,
            fail) -> tuple[int, int, int, int]:
    """(pad_h, pad_w, out_h, out_w), checked against the declared output shape."""
    x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    o = op.options
    padding = str(o.get("padding", "SAME"))
    sh, sw = int(o.get("stride_h", 1)), int(o.get("stride_w", 1))
    dh, dw = int(o.get("dilation_h_factor", 1)), int(o.get("dilation_w_factor", 1))
    if min(sh, sw, dh, dw) < 1:
        raise fail(op, "strides and dilations must be >= 1")
    pad_h, out_h = padding_and_output(x.shape[1], filter_h, sh, dh, padding, op=op)
    pad_w, out_w = padding_and_output(x.shape[2], filter_w, sw, dw, padding, op=op)
    if len(out.shape) != 4 or (out.shape[1], out.shape[2]) != (out_h, out_w):
        raise fail(op, f"output shape {list(out.shape)} does not match the computed "
                       f"{out_h}x{out_w} ({padding}, stride {sh}x{sw}, dilation {dh}x{dw})")
    return pad_h, pad_w, out_h, out_w


@register
class Conv2D(OpDef):
    op_type = "CONV_2D"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        return conv_unsupported_reason(op, graph, hybrid=True)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        if len(x.shape) != 4 or len(w.shape) != 4 or len(out.shape) != 4:
            raise self.fail(op, "input, filter and output must be 4-D (NHWC, OHWI)")
        channels_ok = w.shape[3] > 0 and x.shape[3] > 0 and x.shape[3] % w.shape[3] == 0
        if not channels_ok or out.shape[3] != w.shape[0]:
            raise self.fail(op, f"filter {list(w.shape)} does not fit input {list(x.shape)} and "
                                f"output {list(out.shape)}")
        groups = x.shape[3] // w.shape[3]
        if w.shape[0] % groups or out.shape[0] != x.shape[0]:
            raise self.fail(op, "output channels or batches inconsistent with the input")
        bias = bias_tensor(op, graph)
        if bias is not None and bias.num_elements != w.shape[0]:
            raise self.fail(op, f"bias has {bias.num_elements} values, expected {w.shape[0]}")
        spatial(op, graph, w.shape[1], w.shape[2], self.fail)

    def prepare(self, op: Operator, graph: Graph) -> Conv2DParams:
        x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        pad_h, pad_w, out_h, out_w = spatial(op, graph, w.shape[1], w.shape[2], self.fail)
        o = op.options
        geometry: dict[str, Any] = dict(
            batches=x.shape[0], in_h=x.shape[1], in_w=x.shape[2], in_c=x.shape[3],
            out_h=out_h, out_w=out_w, out_c=w.shape[0], filter_h=w.shape[1],
            filter_w=w.shape[2], filter_in_c=w.shape[3],
            stride_h=int(o.get("stride_h", 1)), stride_w=int(o.get("stride_w", 1)),
            dilation_h=int(o.get("dilation_h_factor", 1)),
            dilation_w=int(o.get("dilation_w_factor", 1)), pad_h=pad_h, pad_w=pad_w)
        if out.dtype == "float32" and w.dtype == "float32":
            return Conv2DParams("float32", **geometry)
        assert w.quant is not None
        if x.dtype == "int16":
            return self._prepare_16x8(op, graph, geometry)
        if out.dtype == "float32":  # int8 x int8 sums of the input quantized at run time
            assert w.data is not None
            check_int8_accumulator(op, w.data.reshape(w.shape[0], -1), None, 0)
            return Conv2DParams("hybrid", **geometry, weight_scale=w.quant.scale_array())
        assert w.data is not None
        bias_t = bias_tensor(op, graph)
        check_int8_accumulator(op, w.data.reshape(w.shape[0], -1),
                               bias_t.data if bias_t is not None else None, x.zero_point)
        mult, shift = per_channel_multipliers(x, w, out, w.shape[0])
        lo, hi = int8_activation_range(op, out)
        folded = None
        if (w.shape[1], w.shape[2]) == (1, 1) and geometry["stride_h"] == geometry["stride_w"] == 1 \
                and w.shape[3] == x.shape[3]:
            assert w.data is not None
            bias = bias_tensor(op, graph)
            base = (bias.data.astype(np.int64).reshape(-1) if bias is not None
                    and bias.data is not None else np.zeros(w.shape[0], np.int64))
            folded = base - x.zero_point * w.data.astype(np.int64).reshape(w.shape[0], -1).sum(1)
            if folded.min() < -(2**31) or folded.max() >= 2**31:
                folded = None
            else:
                folded = folded.astype(np.int32)
        return Conv2DParams("int8", **geometry, input_offset=-x.zero_point,
                            output_offset=out.zero_point, multiplier=mult, shift=shift,
                            act_min=lo, act_max=hi, bias_folded=folded)

    def _prepare_16x8(self, op: Operator, graph: Graph, geometry: dict[str, Any]
                      ) -> Conv2DParams:
        x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        assert w.data is not None
        bias_t = bias_tensor(op, graph)
        wide = bias_is_wide(op, bias_t)
        bias = (bias_t.data.astype(np.int64).reshape(-1) if bias_t is not None
                and bias_t.data is not None else None)
        check_int16_accumulator(op, w.data.reshape(w.shape[0], -1),
                                bias if bias is not None else np.zeros(w.shape[0], np.int64),
                                0, wide)
        mult, shift = per_channel_multipliers(x, w, out, w.shape[0])
        lo, hi = activation_range_int16(op, out)
        return Conv2DParams("int16", **geometry, multiplier=mult, shift=shift, act_min=lo,
                            act_max=hi, bias64=bias, wide=wide)

    def memory(self, op: Operator, graph: Graph, params: Conv2DParams) -> MemoryHints:
        """The in-place scratch of each entry point equals the kernel's own
        mf_conv2d_<s8|s8_1x1|f32|s16|hybrid>_scratch_bytes (tests/ops/test_scratch_sizes.py); for
        int8 the larger of it and the DSP variant's (mf_conv2d_s8[_1x1]_dsp_scratch_bytes, 0 where
        the variant does not apply): one plan for every core."""
        if params.dtype == "int16":
            if (params.filter_h, params.filter_w, params.stride_h, params.stride_w) == (1,) * 4 \
                    and params.filter_in_c == params.in_c and params.out_c <= params.in_c:
                # output pixel q reads input pixel q only: one pixel of scratch (conv2d_s16.h)
                return MemoryHints(inplace_input=0, scratch_bytes=2 * params.out_c)
            return MemoryHints()
        if params.dtype == "hybrid":  # the input image quantized at run time
            return MemoryHints(scratch_bytes=params.in_h * params.in_w * params.in_c)
        if params.pointwise and params.out_c > params.in_c:
            # expanding: the input fills the start of the output, written last pixel first
            # through one pixel of scratch by the portable mf_conv2d_s8_1x1 (the DSP variant is
            # not chosen for a run in place: codegen/variants.py); the plan serves every core,
            # so it also holds the DSP variant's widened pixels when that variant applies
            dsp = pointwise_dsp_applies(params)
            scratch = max(params.out_c, pointwise_dsp_scratch(params) if dsp else 0)
            return MemoryHints(inplace_input=0, scratch_bytes=scratch, inplace_grows=True,
                               inplace_chained=True, scratch_always=dsp)
        if params.pointwise and pointwise_dsp_applies(params):
            # the plan serves every core: the DSP variant's widened pixels (always), or the
            # portable kernel's two output pixels (MF_CONV2D_S8_1X1_SCRATCH, in place)
            scratch = max(pointwise_dsp_scratch(params), 2 * params.out_c)
            return MemoryHints(inplace_input=0, scratch_bytes=scratch, scratch_always=True)
        if params.pointwise:
            # MF_CONV2D_S8_1X1_SCRATCH in conv2d_s8.h: two output pixels
            return MemoryHints(inplace_input=0, scratch_bytes=2 * params.out_c)
        if conv_dsp_applies(params):  # the plan serves every core: the DSP variant's patches
            return MemoryHints(scratch_bytes=conv_dsp_scratch(params))
        return portable_conv_memory(params)


    def cost(self, op: Operator, graph: Graph, params: Conv2DParams) -> Cost:
        w = graph.tensors[op.inputs[1]]
        bias = bias_tensor(op, graph)
        macs = (params.batches * params.out_h * params.out_w * params.out_c * params.filter_h
                * params.filter_w * params.filter_in_c)
        return Cost(macs=macs, weight_bytes=w.nbytes + (bias.nbytes if bias is not None else 0))

    def emit(self, op: Operator, graph: Graph, params: Conv2DParams, ctx: EmitContext) -> None:
        if params.dtype == "hybrid":
            self._emit_hybrid(op, graph, params, ctx)
            return
        if params.dtype == "int16":
            emit_conv_16x8("conv2d", op, params,
                           {**params.geometry(), "acc32": int(not params.wide)}, ctx)
            return
        w_t = graph.tensors[op.inputs[1]]
        if (params.dtype == "float32" and params.filter_in_c == params.in_c
                and params.out_c >= FLOAT_BLOCK and w_t.data is not None):
            self._emit_float_blocked(op, graph, params, ctx, w_t.data)
            return
        if not params.pointwise:
            emit_conv_like("conv2d", op, graph, params, params.geometry(), ctx, float_scratch=True,
                           scratch_variant=True)
            return
        x, w, out = ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])
        in_place = x == out
        assert params.multiplier is not None and params.shift is not None \
            and params.bias_folded is not None, "the 1x1 fast path is int8 (prepare)"
        mult = ctx.const(f"op{op.index}_multiplier", params.multiplier)
        shift = ctx.const(f"op{op.index}_shift", params.shift)
        bias = ctx.const(f"op{op.index}_bias", params.bias_folded)
        fields = {**params.geometry(), **pick(params, "input_offset output_offset act_min act_max"),
                  "multiplier": mult, "shift": shift}
        ctx.use_kernel("mf_requantize")
        ctx.use_kernel("mf_simd32")
        ctx.use_kernel("conv2d_s8")
        function = ctx.kernel_function("conv2d_s8_1x1", params, in_place)
        # the portable kernel's scratch serves the in-place run only; a variant's is planned
        # whenever it applies (memory(): scratch_always)
        always = function != "mf_conv2d_s8_1x1"
        scratch = f"(int8_t *){ctx.scratch()}" if in_place or always else "NULL"
        ctx.call(struct_call("conv2d_s8", fields, [x, w, bias, out, scratch], function=function))

    def _emit_float_blocked(self, op: Operator, graph: Graph, params: Conv2DParams,
                            ctx: EmitContext, filters: np.ndarray) -> None:
        """FLOAT_BLOCK output channels side by side (mf_conv2d_f32_blocked, same sums)."""
        x, out = ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])
        blocked = ctx.const(f"op{op.index}_filter_blocked", blocked_filter(filters))
        bias_t = bias_tensor(op, graph)
        bias = ctx.ptr(bias_t.index) if bias_t is not None else "NULL"
        lo, hi = float_activation_range(op)
        scratch = f"(float *){ctx.scratch()}" if x == out else "NULL"
        ctx.use_kernel("conv2d_f32")
        ctx.use_kernel("conv2d_f32_blocked")
        ctx.call(struct_call("conv2d_f32", {**params.geometry(), "act_min": lo, "act_max": hi},
                             [x, blocked, bias, out, scratch], function="mf_conv2d_f32_blocked"))

    @staticmethod
    def _emit_hybrid(op: Operator, graph: Graph, params: Conv2DParams, ctx: EmitContext) -> None:
        assert params.weight_scale is not None
        x, w, out = ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])
        bias_t = bias_tensor(op, graph)
        bias = ctx.ptr(bias_t.index) if bias_t is not None else "NULL"
        per_channel = len(params.weight_scale) > 1
        lo, hi = float_activation_range(op)
        fields = {**params.geometry(), "per_channel": int(per_channel),
                  "weight_scale": ctx.const(f"op{op.index}_weight_scale", params.weight_scale),
                  "act_min": lo, "act_max": hi}
        ctx.use_kernel("hybrid_quantize")
        ctx.use_kernel("conv2d_hybrid")
        ctx.call(struct_call("conv2d_hybrid", fields,
                             [x, w, bias, out, f"(int8_t *){ctx.scratch()}"]))


def portable_conv_memory(params: Conv2DParams) -> MemoryHints:
    """The plan of mf_conv2d_s8 / _f32 (not 1x1): the ring of an in-place run, or nothing."""
    row = params.out_w * params.out_c
    itemsize = 4 if params.dtype == "float32" else 1
    if (not params.pointwise and params.stride_h == 1 and params.stride_w == 1
            and row <= params.in_w * params.in_c):
        if (params.dtype == "int8" and params.out_w == params.in_w
                and params.out_c == params.in_c and params.pad_w < params.out_w):
            # pixel by pixel through a ring (mf_conv2d_s8_ring_pixels)
            pixels = params.pad_h * params.out_w + params.pad_w + 1
            return MemoryHints(inplace_input=0, scratch_bytes=pixels * params.out_c)
        # row by row through a ring of pad_h + 1 output rows (mf_conv2d_s8/_f32)
        return MemoryHints(inplace_input=0,
                           scratch_bytes=(params.pad_h + 1) * row * itemsize)
    return MemoryHints()


FLOAT_BLOCK = 8  # MF_CONV_F32_BLOCK
DSP_PATCH_MAX = 128  # MF_CONV2D_S8_DSP_PATCH_MAX (conv2d_s8_dsp.h)


def pointwise_dsp_applies(params: Conv2DParams) -> bool:
    """mf_conv2d_s8_1x1_dsp (conv2d_s8_1x1_dsp.h): int8 1x1, input channels a multiple of 4."""
    return params.dtype == "int8" and params.pointwise and params.in_c % 4 == 0


def pointwise_dsp_scratch(params: Conv2DParams) -> int:
    """MF_CONV2D_S8_1X1_DSP_SCRATCH(in_c): six input pixels widened to int16."""
    return 12 * params.in_c


def patch_len(params: Conv2DParams) -> int:
    return params.filter_h * params.filter_w * params.filter_in_c


def conv_dsp_applies(params: Conv2DParams) -> bool:
    """mf_conv2d_s8_dsp (conv2d_s8_dsp.h): int8, one group, a receptive field of at most
    DSP_PATCH_MAX values, and shapes the portable kernel cannot run in place (those keep their
    in-place ring: no extra RAM)."""
    return (params.dtype == "int8" and not params.pointwise
            and params.filter_in_c == params.in_c and patch_len(params) <= DSP_PATCH_MAX
            and portable_conv_memory(params).inplace_input is None)


def conv_dsp_scratch(params: Conv2DParams) -> int:
    """MF_CONV2D_S8_DSP_SCRATCH(len): six receptive fields widened to int16."""
    return 48 * ((patch_len(params) + 3) // 4)


def blocked_filter(filters: np.ndarray, block: int = FLOAT_BLOCK) -> np.ndarray:
    """OHWI float filters as mf_conv2d_f32_blocked reads them: out // block blocks of
    [H][W][I][block], then the remaining filters as they are."""
    out_c = filters.shape[0]
    flat = filters.reshape(out_c, -1)
    full = out_c // block * block
    blocks = flat[:full].reshape(-1, block, flat.shape[1]).transpose(0, 2, 1)
    return np.concatenate([blocks.reshape(-1), flat[full:].reshape(-1)])


def emit_conv_16x8(kernel: str, op: Operator, params: Any, fields: dict[str, object],
                   ctx: EmitContext) -> None:
    """Emit <kernel>_s16 (16x8): geometry fields, then multipliers, shifts, clamp range; the
    op's scratch when the planner runs it in place (MemoryHints.inplace_input granted)."""
    x, w, out = ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])
    bias = ("NULL" if params.bias64 is None
            else ctx.const(f"op{op.index}_bias", params.bias64.astype(np.int64)))
    mult = ctx.const(f"op{op.index}_multiplier", params.multiplier)
    shift = ctx.const(f"op{op.index}_shift", params.shift)
    scratch = f"(int16_t *){ctx.scratch()}" if x == out else "NULL"  # planner granted in place
    ctx.use_kernel("mf_requantize64")
    ctx.use_kernel(f"{kernel}_s16")
    ctx.call(struct_call(f"{kernel}_s16", {**fields, "multiplier": mult, "shift": shift,
                                           **pick(params, "act_min act_max")},
                         [x, w, bias, out, scratch]))


def emit_conv_like(kernel: str, op: Operator, graph: Graph, params, geometry: dict[str, object],
                   ctx: EmitContext, float_scratch: bool = False,
                   scratch_variant: bool = False,
                   relaid: dict[str, Callable[[], str]] | None = None) -> None:
    """Emit the call of <kernel>_s8 / <kernel>_f32 for a conv-like op (input, filter, bias).
    The s8 kernels (and the f32 one when float_scratch) take a row scratch for in place runs;
    `scratch_variant`: the s8 kernel's variants take their own scratch (planned by memory());
    `relaid`: variant function -> the symbol of its re-laid-out filter (made only when chosen)."""
    x, out = ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])
    bias_t = bias_tensor(op, graph)
    bias = ctx.ptr(bias_t.index) if bias_t is not None else "NULL"
    if params.dtype == "float32":
        w = ctx.ptr(op.inputs[1])
        lo, hi = float_activation_range(op)
        args = [x, w, bias, out]
        if float_scratch:
            args.append(f"(float *){ctx.scratch()}" if x == out else "NULL")
        ctx.use_kernel(f"{kernel}_f32")
        ctx.call(struct_call(f"{kernel}_f32", {**geometry, "act_min": lo, "act_max": hi}, args))
        return
    mult = ctx.const(f"op{op.index}_multiplier", params.multiplier)
    shift = ctx.const(f"op{op.index}_shift", params.shift)
    fields = {**geometry, **pick(params, "input_offset output_offset act_min act_max"),
              "multiplier": mult, "shift": shift}
    in_place = x == out  # the planner granted the in-place run
    ctx.use_kernel("mf_requantize")
    ctx.use_kernel("mf_simd32")
    ctx.use_kernel(f"{kernel}_s8")
    function = ctx.kernel_function(f"{kernel}_s8", params, in_place)
    # the portable kernels' row scratch serves the in-place run; a variant's is planned whenever
    # it applies (the op's memory())
    needs_scratch = in_place or function != f"mf_{kernel}_s8" and scratch_variant
    scratch = f"(int8_t *){ctx.scratch()}" if needs_scratch else "NULL"
    w = relaid[function]() if relaid and function in relaid else ctx.ptr(op.inputs[1])
    ctx.call(struct_call(f"{kernel}_s8", fields, [x, w, bias, out, scratch], function=function))
