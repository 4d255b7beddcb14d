"""Shared compile-time pieces of the int16-activation (16x8) op modules: the int16 clamp
range, TFLM's multipliers for the int64-bias kernels and the accumulator range checks.

TFLite's 16x8 scheme: int16 activations (per tensor, zero point 0 from the converter), int8
weights (symmetric, usually per channel) and int64 biases. FULLY_CONNECTED / CONV_2D /
DEPTHWISE_CONV_2D sum in int64 and rescale with TFLite's int64 MultiplyByQuantizedMultiplier
(Q15-reduced multiplier, one rounding shift by 15 - shift), which assumes shift < 8 and an
accumulator below 2^47 in magnitude; with an int32 bias TFLM keeps an int32 accumulator and
its int32 rescaling.
"""

from __future__ import annotations

import numpy as np

from microforge.errors import ModelError
from microforge.ir.graph import Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.ops._support import activation_of
from microforge.ops.quant import quantize_f32

INT16_MIN, INT16_MAX = -32768, 32767
MAX_INT64_SHIFT = 7  # TFLite's int64 MultiplyByQuantizedMultiplier: shift in [-31, 8)
INT64_ACC_LIMIT = 1 << 47


def activation_range_int16(op: Operator, out: Tensor) -> tuple[int, int]:
    """CalculateActivationRangeQuantized for an int16 output (bounds quantized in float)."""
    activation = activation_of(op)
    lo, hi = INT16_MIN, INT16_MAX
    if activation in ("RELU", "RELU6", "RELU_N1_TO_1"):
        low = -1.0 if activation == "RELU_N1_TO_1" else 0.0
        lo = max(lo, quantize_f32(low, out.scale, out.zero_point))
    if activation in ("RELU6", "RELU_N1_TO_1"):
        high = 6.0 if activation == "RELU6" else 1.0
        hi = min(hi, quantize_f32(high, out.scale, out.zero_point))
    return lo, hi


def int16_tensor_problem(t: Tensor, what: str) -> str | None:
    """Why an int16 activation tensor cannot be handled per tensor, or None."""
    if t.quant is None:
        return f"int16 {what} has no quantization parameters"
    if t.quant.per_channel:
        return f"int16 {what} is quantized per channel"
    return None


def bias_is_wide(op: Operator, bias: Tensor | None) -> bool:
    """True when TFLM sums in int64 (int64 bias, or no bias unless quantized_bias_type is
    INT32), False for its int32 accumulator (int32 bias)."""
    if bias is not None:
        return bias.dtype == "int64"
    return op.options.get("quantized_bias_type") != "INT32"


def shift_problem(shifts: np.ndarray) -> str | None:
    if shifts.size and int(shifts.max()) > MAX_INT64_SHIFT:
        return (f"output multiplier shift {int(shifts.max())} above {MAX_INT64_SHIFT} "
                "(input x weight scale >= 128 x output scale; TFLite's int64 rescaling "
                "assumes less)")
    return None


def check_int16_accumulator(op: Operator, weights: np.ndarray, bias: np.ndarray,
                            input_zero_point: int, wide: bool) -> None:
    """Raise ModelError unless every accumulator stays within what TFLite assumes for every
    int16 input: |acc| < 2^47 (int64) or < 2^31 (int32 bias). weights: [channels, taps] with
    the filter offset applied; bias: [channels] (zeros when absent)."""
    w = np.abs(weights.astype(np.int64)).reshape(weights.shape[0], -1).sum(axis=1)
    b = np.abs(bias.astype(np.int64).reshape(-1))
    bound = b + (32768 + abs(int(input_zero_point))) * w
    limit = INT64_ACC_LIMIT if wide else 1 << 31
    if bound.size and int(bound.max()) >= limit:
        channel = int(bound.argmax())
        raise ModelError(
            f"operator {op.index} ({op.op_type}): output channel {channel} can overflow the "
            f"{'int64' if wide else 'int32'} accumulator (bias {int(b[channel])}, sum of "
            f"|weights| {int(w[channel])}); the weights or bias are corrupt")


def dtypes_16x8(graph: Graph, op: Operator, bias: Tensor | None) -> str | None:
    """Why (input, weights, bias, output) are not TFLM's 16x8 combination, or None."""
    x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
    out = graph.tensors[op.outputs[0]]
    if w.dtype != "int8" or out.dtype != "int16":
        return f"int16 input needs int8 weights and an int16 output, not {w.dtype}/{out.dtype}"
    if not w.is_constant or w.quant is None:
        return "int16: weights must be constant and quantized"
    if bias is not None and (bias.dtype not in ("int64", "int32") or not bias.is_constant):
        return f"int16: {bias.dtype} bias (needs constant int64 or int32)"
    return int16_tensor_problem(x, "input") or int16_tensor_problem(out, "output")


def conv_16x8_problem(op: Operator, graph: Graph, bias: Tensor | None,
                      int32_bias: bool) -> str | None:
    """Why a 16x8 CONV_2D / DEPTHWISE_CONV_2D is not implemented, or None. TFLM's int16
    convolutions apply no input or output offset (the converter writes zero points 0), so
    other zero points are refused rather than ignored; its int16 depthwise reads the bias as
    int64 only (int32_bias False)."""
    problem = dtypes_16x8(graph, op, bias)
    if problem:
        return problem
    if bias is not None and bias.dtype == "int32" and not int32_bias:
        return "int16 with an int32 bias (TFLM's int16 depthwise reads int64 only)"
    x, w = graph.tensors[op.inputs[0]], graph.tensors[op.inputs[1]]
    out = graph.tensors[op.outputs[0]]
    assert w.quant is not None
    if x.zero_point != 0 or out.zero_point != 0:
        return "int16 input and output need zero point 0 (TFLM's int16 kernels apply none)"
    if any(z != 0 for z in w.quant.zero_point):
        return "filter zero point is not 0"
    return None
