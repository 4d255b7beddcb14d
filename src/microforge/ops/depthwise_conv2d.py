"""DEPTHWISE_CONV_2D: int8 (per-channel weights), int16 activations with int8 weights (16x8:
int64 bias, kernels/depthwise_conv2d_s16.c) and float32, any depth multiplier."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import (
    check_int8_accumulator,
    int8_activation_range,
    per_channel_multipliers,
    pick,
)
from microforge.ops.base import Cost, EmitContext, MemoryHints, OpDef, register
from microforge.ops.conv2d import (
    bias_tensor,
    conv_unsupported_reason,
    emit_conv_16x8,
    emit_conv_like,
    spatial,
)
from microforge.ops.int16_common import activation_range_int16, check_int16_accumulator

DSP_MAX_CHANNELS = 256  # MF_DW_DSP_ZP_MAX (depthwise_conv2d_s8_dsp.h)


def depthwise_dsp_applies(params: DepthwiseParams) -> bool:
    """mf_depthwise_conv2d_s8_dsp (depthwise_conv2d_s8_dsp.h): int8, 3x3 filter, multiplier 1,
    a multiple of 4 channels up to DSP_MAX_CHANNELS (in place through the portable row ring)."""
    return (params.dtype == "int8" and params.depth_multiplier == 1
            and (params.filter_h, params.filter_w) == (3, 3) and params.in_c % 4 == 0
            and params.in_c <= DSP_MAX_CHANNELS)


def dsp_filter_3x3(filters: np.ndarray) -> np.ndarray:
    """The 1HWC 3x3 filter as mf_depthwise_conv2d_s8_dsp reads it: per group of four channels
    the nine taps' four bytes side by side ([C / 4][9][4], same bytes)."""
    channels = filters.shape[-1]
    return np.ascontiguousarray(filters.reshape(9, channels // 4, 4).transpose(1, 0, 2))


@dataclass(frozen=True)
class DepthwiseParams:
    dtype: str
    batches: int
    in_h: int
    in_w: int
    in_c: int
    out_h: int
    out_w: int
    depth_multiplier: int
    filter_h: int
    filter_w: int
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
    bias64: np.ndarray | None = None  # int16 (16x8) only: the int64 bias, or None

    @property
    def can_run_in_place(self) -> bool:
        """Output row r may replace input row r: int8/int16, stride 1, multiplier 1, same
        width; or a strided int8 run (strided_in_place)."""
        return (self.dtype in ("int8", "int16") and self.depth_multiplier == 1 and self.stride_h == 1
                and self.stride_w == 1 and self.out_w == self.in_w and self.out_h <= self.in_h
                ) or self.strided_in_place

    @property
    def strided_in_place(self) -> bool:
        """int8, stride > 1 (multiplier 1, no dilation, one batch): each output row, computed
        in a one-row scratch, is copied to its place at once: the bytes it covers hold input
        rows no later output row reads (checked for every row)."""
        if (self.dtype != "int8" or self.depth_multiplier != 1 or self.batches != 1
                or self.stride_h < 2 or (self.dilation_h, self.dilation_w) != (1, 1)):
            return False
        out_row, in_row = self.out_w * self.in_c, self.in_w * self.in_c
        return all((r + 1) * out_row <= max(0, (r + 1) * self.stride_h - self.pad_h) * in_row
                   for r in range(self.out_h - 1))

    @property
    def ring_rows(self) -> int:
        """Output rows held back before they overwrite the input (mf_depthwise_conv2d_s8's
        ring): pad_h + 1 at stride 1, one when strided."""
        return 1 if self.stride_h > 1 else self.pad_h + 1

    @property
    def ring_bytes(self) -> int:
        return self.ring_rows * self.out_w * self.in_c * (2 if self.dtype == "int16" else 1)

    def geometry(self) -> dict[str, object]:
        """The shape fields of the mf_depthwise_conv2d_* parameter structs."""
        return pick(self, "batches in_h in_w in_c out_h out_w depth_multiplier filter_h "
                          "filter_w stride_h stride_w dilation_h dilation_w pad_h pad_w")


@register
class DepthwiseConv2D(OpDef):
    op_type = "DEPTHWISE_CONV_2D"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        return conv_unsupported_reason(op, graph)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        if len(x.shape) != 4 or len(w.shape) != 4 or len(out.shape) != 4 or w.shape[0] != 1:
            raise self.fail(op, "input, filter (1HWO) and output must be 4-D")
        if x.shape[3] == 0 or w.shape[3] % x.shape[3] or out.shape[3] != w.shape[3]:
            raise self.fail(op, f"filter {list(w.shape)} does not fit input {list(x.shape)} and "
                                f"output {list(out.shape)}")
        bias = bias_tensor(op, graph)
        if bias is not None and bias.num_elements != w.shape[3]:
            raise self.fail(op, f"bias has {bias.num_elements} values, expected {w.shape[3]}")
        spatial(op, graph, w.shape[1], w.shape[2], self.fail)

    def prepare(self, op: Operator, graph: Graph) -> DepthwiseParams:
        x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        pad_h, pad_w, out_h, out_w = spatial(op, graph, w.shape[1], w.shape[2], self.fail)
        o = op.options
        geometry: dict[str, Any] = dict(
            batches=x.shape[0], in_h=x.shape[1], in_w=x.shape[2], in_c=x.shape[3],
            out_h=out_h, out_w=out_w, depth_multiplier=w.shape[3] // x.shape[3],
            filter_h=w.shape[1], filter_w=w.shape[2],
            stride_h=int(o.get("stride_h", 1)), stride_w=int(o.get("stride_w", 1)),
            dilation_h=int(o.get("dilation_h_factor", 1)),
            dilation_w=int(o.get("dilation_w_factor", 1)), pad_h=pad_h, pad_w=pad_w)
        if out.dtype == "float32":
            return DepthwiseParams("float32", **geometry)
        assert w.data is not None
        bias_t = bias_tensor(op, graph)
        if x.dtype == "int16":
            bias = (bias_t.data.astype(np.int64).reshape(-1) if bias_t is not None
                    and bias_t.data is not None else None)
            check_int16_accumulator(op, w.data.reshape(-1, w.shape[3]).T,
                                    bias if bias is not None else np.zeros(w.shape[3], np.int64),
                                    0, wide=True)
            mult, shift = per_channel_multipliers(x, w, out, w.shape[3])
            lo, hi = activation_range_int16(op, out)
            return DepthwiseParams("int16", **geometry, multiplier=mult, shift=shift,
                                   act_min=lo, act_max=hi, bias64=bias)
        check_int8_accumulator(op, w.data.reshape(-1, w.shape[3]).T,
                               bias_t.data if bias_t is not None else None, x.zero_point)
        mult, shift = per_channel_multipliers(x, w, out, w.shape[3])
        lo, hi = int8_activation_range(op, out)
        return DepthwiseParams("int8", **geometry, input_offset=-x.zero_point,
                               output_offset=out.zero_point, multiplier=mult, shift=shift,
                               act_min=lo, act_max=hi)

    def cost(self, op: Operator, graph: Graph, params: DepthwiseParams) -> Cost:
        w = graph.tensors[op.inputs[1]]
        bias = bias_tensor(op, graph)
        macs = (params.batches * params.out_h * params.out_w * params.in_c
                * params.depth_multiplier * params.filter_h * params.filter_w)
        return Cost(macs=macs, weight_bytes=w.nbytes + (bias.nbytes if bias is not None else 0))

    def memory(self, op: Operator, graph: Graph, params: DepthwiseParams) -> MemoryHints:
        """== mf_depthwise_conv2d_<s8|s16>_scratch_bytes (tests/ops/test_scratch_sizes.py)."""
        if params.can_run_in_place:
            # strided: a newer in-place path, planned only when it lowers the arena
            return MemoryHints(inplace_input=0, scratch_bytes=params.ring_bytes,
                               inplace_chained=params.stride_h > 1)
        return MemoryHints()

    def emit(self, op: Operator, graph: Graph, params: DepthwiseParams,
             ctx: EmitContext) -> None:
        if params.dtype == "int16":
            emit_conv_16x8("depthwise_conv2d", op, params, params.geometry(), ctx)
            return
        filters = graph.tensors[op.inputs[1]].data
        assert filters is not None, "a constant filter (unsupported_reason)"
        emit_conv_like("depthwise_conv2d", op, graph, params, params.geometry(), ctx,
                       relaid={"mf_depthwise_conv2d_s8_dsp": lambda: ctx.const(
                           f"op{op.index}_filter_dsp", dsp_filter_3x3(filters))})
