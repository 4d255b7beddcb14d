"""FULLY_CONNECTED: int8 (per-tensor or per-channel weights), int16 activations with int8
weights (16x8: int64 or int32 bias, TFLM's int64 accumulator and rescaling,
kernels/fully_connected_s16.c) and float32."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.errors import ModelError
from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.ops._support import (
    ACTIVATIONS,
    activation_of,
    check_int8_accumulator,
    float_activation_range,
    int8_activation_range,
    named,
    per_channel_multipliers,
    pick,
    struct_call,
)
from microforge.ops.base import Cost, EmitContext, MemoryHints, OpDef, register
from microforge.ops.int16_common import (
    activation_range_int16,
    bias_is_wide,
    check_int16_accumulator,
    dtypes_16x8,
    shift_problem,
)


@dataclass(frozen=True)
class FullyConnectedParams:
    dtype: str
    batches: int
    in_depth: int
    out_depth: int
    # int8 only
    filter_offset: int = 0
    output_offset: int = 0
    per_channel: bool = False
    multiplier: np.ndarray | None = None
    shift: np.ndarray | None = None
    bias_folded: np.ndarray | None = None
    act_min: int = -128
    act_max: int = 127
    # hybrid (float activations, int8 weights) only
    asymmetric: bool = False
    weight_scale: np.ndarray | None = None
    row_sums: np.ndarray | None = None
    # int16 (16x8) only: TFLM's int64 accumulator (False: its int32 one, for an int32 bias)
    wide: bool = True


FC_DSP_MIN_WEIGHTS = 512  # a smaller layer keeps the portable kernel: the variant's ~1 KB of
# code would cost tiny models (hello_world: 16 x 16) more flash than it saves instructions


def fc_dsp_applies(params: FullyConnectedParams) -> bool:
    """mf_fully_connected_s8_dsp (fully_connected_s8_dsp.h): int8, symmetric weights, input and
    output depths multiples of 4 (its weights re-laid-out by dsp_weights), at least
    FC_DSP_MIN_WEIGHTS weights."""
    return (params.dtype == "int8" and params.filter_offset == 0 and params.in_depth % 4 == 0
            and params.out_depth % 4 == 0
            and params.in_depth * params.out_depth >= FC_DSP_MIN_WEIGHTS)


def dsp_weights(weights: np.ndarray) -> np.ndarray:
    """[out][in] int8 weights as mf_fully_connected_s8_dsp reads them: per four units and four
    inputs the four units' words side by side ([out / 4][in / 4][4][4], same bytes)."""
    out_depth, in_depth = weights.shape
    return np.ascontiguousarray(weights.reshape(out_depth // 4, 4, in_depth // 4, 4)
                                .transpose(0, 2, 1, 3))


@register
class FullyConnected(OpDef):
    op_type = "FULLY_CONNECTED"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if op.options.get("weights_format", "DEFAULT") != "DEFAULT":
            return "shuffled weights format"
        if activation_of(op) not in ACTIVATIONS:
            return f"fused activation {activation_of(op)}"
        if len(op.inputs) < 2 or len(op.outputs) != 1:
            return "needs input and weights"
        x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        if not w.is_constant:
            return "weights are not constant"
        kinds = (x.dtype, w.dtype, out.dtype)
        if kinds == ("float32", "float32", "float32"):
            return None
        if kinds == ("int8", "int8", "int8"):
            if x.quant is None or w.quant is None or out.quant is None:
                return "int8 tensors without quantization parameters"
            if x.quant.per_channel or out.quant.per_channel:
                return "per-channel quantized activations"
            bias = self._bias(op, graph)
            if bias is not None and (bias.dtype != "int32" or not bias.is_constant):
                return f"{bias.dtype} bias (needs constant int32)"
            return None
        if x.dtype == "int16":
            bias = self._bias(op, graph)
            problem = dtypes_16x8(graph, op, bias)
            if problem is None and bias_is_wide(op, bias):  # the int64 rescaling's limit
                problem = shift_problem(multipliers_16x8(x, w, out)[1])
            return problem
        if kinds == ("float32", "int8", "float32"):
            if w.quant is None or any(z != 0 for z in w.quant.zero_point):
                return "hybrid weights need symmetric quantization"
            bias = self._bias(op, graph)
            if bias is not None and bias.dtype != "float32":
                return f"hybrid with {bias.dtype} bias"
            return None
        return f"dtypes {kinds} not implemented"

    @staticmethod
    def _bias(op: Operator, graph: Graph):
        if len(op.inputs) > 2 and op.inputs[2] != NO_TENSOR:
            return graph.tensors[op.inputs[2]]
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        if len(w.shape) != 2:
            raise self.fail(op, f"weights must be 2-D, not {list(w.shape)}")
        out_depth, in_depth = w.shape
        if in_depth == 0 or x.num_elements % in_depth:
            raise self.fail(op, f"input of {x.num_elements} values is not a multiple of the "
                                f"weights' depth {in_depth}")
        batches = x.num_elements // in_depth
        if out.num_elements != batches * out_depth or (out.shape and out.shape[-1] != out_depth):
            raise self.fail(op, f"output shape {list(out.shape)} does not match {batches} x "
                                f"{out_depth}")
        bias = self._bias(op, graph)
        if bias is not None and bias.num_elements != out_depth:
            raise self.fail(op, f"bias has {bias.num_elements} values, expected {out_depth}")
        if w.quant is not None and w.quant.per_channel and (
                w.quant.axis != 0 or len(w.quant.scale) != out_depth):
            raise self.fail(op, "per-channel weights must be quantized along axis 0")

    def prepare(self, op: Operator, graph: Graph) -> FullyConnectedParams:
        x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        out_depth, in_depth = w.shape
        batches = x.num_elements // in_depth
        if out.dtype == "float32" and w.dtype == "float32":
            return FullyConnectedParams("float32", batches, in_depth, out_depth)
        assert w.quant is not None and w.data is not None
        if out.dtype == "float32":  # hybrid: int8 x int8 sums of the input quantized at run time
            check_int8_accumulator(op, w.data, None, 0)
            return FullyConnectedParams(
                "hybrid", batches, in_depth, out_depth, per_channel=w.quant.per_channel,
                asymmetric=bool(op.options.get("asymmetric_quantize_inputs", False)),
                weight_scale=w.quant.scale_array(),
                row_sums=w.data.astype(np.int64).sum(axis=1).astype(np.int32))
        if x.dtype == "int16":
            return self._prepare_16x8(op, graph, batches, in_depth, out_depth)
        mult, shift = per_channel_multipliers(x, w, out, out_depth)
        per_channel = w.quant.per_channel
        filter_offset = 0 if per_channel else -w.zero_point
        bias = self._bias(op, graph)
        bias_values = (bias.data.astype(np.int64).reshape(-1) if bias is not None
                       and bias.data is not None else np.zeros(out_depth, np.int64))
        check_int8_accumulator(op, w.data.astype(np.int64) + filter_offset,
                               bias_values, x.zero_point)
        weight_sums = (w.data.astype(np.int64) + filter_offset).sum(axis=1)
        folded = bias_values + (-x.zero_point) * weight_sums
        lo, hi = int8_activation_range(op, out)
        return FullyConnectedParams(
            "int8", batches, in_depth, out_depth, filter_offset, out.zero_point, per_channel,
            mult if per_channel else mult[:1], shift if per_channel else shift[:1],
            _to_int32(folded, op), lo, hi)

    def _prepare_16x8(self, op: Operator, graph: Graph, batches: int, in_depth: int,
                      out_depth: int) -> FullyConnectedParams:
        x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
        out = graph.tensors[op.outputs[0]]
        assert w.quant is not None and w.data is not None
        mult, shift = multipliers_16x8(x, w, out)
        per_channel = w.quant.per_channel
        filter_offset = 0 if per_channel else -w.zero_point
        bias = self._bias(op, graph)
        wide = bias_is_wide(op, bias)
        bias_values = (bias.data.astype(np.int64).reshape(-1) if bias is not None
                       and bias.data is not None else np.zeros(out_depth, np.int64))
        weights = w.data.astype(np.int64) + filter_offset
        check_int16_accumulator(op, weights, bias_values, x.zero_point, wide)
        folded = bias_values + (-x.zero_point) * weights.sum(axis=1)
        lo, hi = activation_range_int16(op, out)
        return FullyConnectedParams(
            "int16", batches, in_depth, out_depth, filter_offset, out.zero_point, per_channel,
            mult, shift, folded.astype(np.int64), lo, hi, wide=wide)

    def cost(self, op: Operator, graph: Graph, params: FullyConnectedParams) -> Cost:
        w = graph.tensors[op.inputs[1]]
        bias = self._bias(op, graph)
        return Cost(macs=params.batches * params.in_depth * params.out_depth,
                    weight_bytes=w.nbytes + (bias.nbytes if bias is not None else 0))

    def memory(self, op: Operator, graph: Graph, params: FullyConnectedParams) -> MemoryHints:
        if params.dtype == "hybrid":  # the input row quantized at run time
            return MemoryHints(scratch_bytes=params.in_depth)
        return MemoryHints()

    def emit(self, op: Operator, graph: Graph, params: FullyConnectedParams,
             ctx: EmitContext) -> None:
        dims = [params.batches, params.in_depth, params.out_depth]
        weights = graph.tensors[op.inputs[1]]
        if params.dtype == "float32" and params.out_depth >= FLOAT_BLOCK \
                and weights.data is not None:
            # the same sums, FLOAT_BLOCK units side by side (mf_fully_connected_f32_blocked)
            self._emit_float(op, graph, ctx, dims, ctx.const(
                f"op{op.index}_weights_blocked",
                blocked_weights(weights.data.reshape(params.out_depth, -1))), blocked=True)
            return
        x, out = ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])
        function = (ctx.kernel_function("fully_connected_s8", params) if params.dtype == "int8"
                    else None)
        if function == "mf_fully_connected_s8_dsp":  # its own weight layout: not the original
            assert weights.data is not None, "constant weights (unsupported_reason)"
            w = ctx.const(f"op{op.index}_weights_dsp",
                          dsp_weights(weights.data.reshape(params.out_depth, params.in_depth)))
        else:
            w = ctx.ptr(op.inputs[1])
        if params.dtype == "float32":
            self._emit_float(op, graph, ctx, dims, w, blocked=False)
            return
        if params.dtype == "hybrid":
            self._emit_hybrid(op, graph, params, ctx, x, w, out)
            return
        if params.dtype == "int16":
            self._emit_16x8(op, params, ctx, dims, [x, w, out])
            return
        ctx.use_kernel("mf_requantize")
        ctx.use_kernel("mf_simd32")
        ctx.use_kernel("fully_connected_s8")
        assert params.multiplier is not None and params.shift is not None
        assert params.bias_folded is not None
        mult = ctx.const(f"op{op.index}_multiplier", params.multiplier)
        shift = ctx.const(f"op{op.index}_shift", params.shift)
        bias = ctx.const(f"op{op.index}_bias", params.bias_folded)
        fields = {**named(FC_DIMS, dims), "per_channel": int(params.per_channel),
                  "multiplier": mult, "shift": shift,
                  **pick(params, "filter_offset output_offset act_min act_max")}
        ctx.call(struct_call("fully_connected_s8", fields, [x, w, bias, out], function=function))

    def _emit_16x8(self, op: Operator, params: FullyConnectedParams, ctx: EmitContext,
                   dims: list[int], pointers: list[str]) -> None:
        assert params.multiplier is not None and params.shift is not None
        assert params.bias_folded is not None
        ctx.use_kernel("mf_requantize64")
        ctx.use_kernel("fully_connected_s16")
        mult = ctx.const(f"op{op.index}_multiplier", params.multiplier)
        shift = ctx.const(f"op{op.index}_shift", params.shift)
        bias = ctx.const(f"op{op.index}_bias", params.bias_folded)
        x, w, out = pointers
        fields = {**named(FC_DIMS, dims), "per_channel": int(params.per_channel),
                  "acc32": int(not params.wide), "multiplier": mult, "shift": shift,
                  **pick(params, "filter_offset output_offset act_min act_max")}
        ctx.call(struct_call("fully_connected_s16", fields, [x, w, bias, out]))

    def _emit_float(self, op: Operator, graph: Graph, ctx: EmitContext, dims: list[int],
                    weights: str, blocked: bool) -> None:
        ctx.use_kernel("fully_connected_f32")
        if blocked:
            ctx.use_kernel("fully_connected_f32_blocked")
        bias = self._bias(op, graph)
        lo, hi = float_activation_range(op)
        b = ctx.ptr(bias.index) if bias is not None else "NULL"
        args = [ctx.ptr(op.inputs[0]), weights, b, ctx.ptr(op.outputs[0])]
        ctx.call(struct_call("fully_connected_f32",
                             {**named(FC_DIMS, dims), "act_min": lo, "act_max": hi}, args,
                             function="mf_fully_connected_f32_blocked" if blocked else None))

    def _emit_hybrid(self, op: Operator, graph: Graph, params: FullyConnectedParams,
                     ctx: EmitContext, x: str, w: str, out: str) -> None:
        assert params.weight_scale is not None and params.row_sums is not None
        bias_t = self._bias(op, graph)
        bias = ctx.ptr(bias_t.index) if bias_t is not None else "NULL"
        scales = ctx.const(f"op{op.index}_weight_scale", params.weight_scale)
        sums = ctx.const(f"op{op.index}_row_sums", params.row_sums) if params.asymmetric else "NULL"
        lo, hi = float_activation_range(op)
        fields = {**pick(params, "batches in_depth out_depth"),
                  "asymmetric": int(params.asymmetric), "per_channel": int(params.per_channel),
                  "weight_scale": scales, "row_sums": sums, "act_min": lo, "act_max": hi}
        ctx.use_kernel("hybrid_quantize")
        ctx.use_kernel("fully_connected_hybrid")
        ctx.call(struct_call("fully_connected_hybrid", fields,
                             [x, w, bias, out, f"(int8_t *){ctx.scratch()}"]))


FLOAT_BLOCK = 8  # MF_FC_F32_BLOCK
FC_DIMS = "batches in_depth out_depth"  # the shape fields of the mf_fully_connected_* structs


def multipliers_16x8(x: Tensor, w: Tensor, out: Tensor) -> tuple[np.ndarray, np.ndarray]:
    """(multiplier, shift) per weight scale (one when per tensor): double(in) * double(w[c])
    / double(out). TFLM's source multiplies in_scale * w_scale in float32 for per-tensor
    weights, but the TFLM verified against computes the double product (as for int8: see
    tests/ops/test_tflm_multipliers.py); test_fully_connected_16x8_per_tensor_uses_the_double
    _product finds int16 inputs where the float32 reading differs from TFLM."""
    assert w.quant is not None
    count = len(w.quant.scale)
    return per_channel_multipliers(x, w, out, count)


def blocked_weights(weights: np.ndarray, block: int = FLOAT_BLOCK) -> np.ndarray:
    """[out, in] weights as mf_fully_connected_f32_blocked reads them: out // block blocks of
    [in][block] (element [d][j] = weights[k * block + j][d]), then the remaining rows."""
    out_depth, in_depth = weights.shape
    full = out_depth // block * block
    blocks = weights[:full].reshape(-1, block, in_depth).transpose(0, 2, 1)
    return np.concatenate([blocks.reshape(-1), weights[full:].reshape(-1)])


def _to_int32(values: np.ndarray, op: Operator) -> np.ndarray:
    if values.min(initial=0) < -(2**31) or values.max(initial=0) >= 2**31:
        raise ModelError(
            f"operator {op.index} ({op.op_type}): bias + input offset x weights overflows int32; "
            "the weights or bias are corrupt or out of range"
        )
    return values.astype(np.int32)
