"""Helpers shared by the compiler-core op modules: requantization, activations, C call text."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from microforge.c_literals import c_float as c_literal_float
from microforge.errors import ModelError
from microforge.ir.graph import Graph, Operator
from microforge.ir.tensor import Tensor
from microforge.ops.kernel_structs import designated
from microforge.ops.quant import activation_range_float, activation_range_int8, quantize_multiplier

ACTIVATIONS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")


def activation_of(op: Operator) -> str:
    return str(op.options.get("fused_activation_function", "NONE"))


def per_channel_multipliers(input_t: Tensor, filter_t: Tensor, output_t: Tensor,
                            channels: int) -> tuple[np.ndarray, np.ndarray]:
    """(multiplier, shift) per output channel as TFLite's PopulateConvolutionQuantizationParams:
    real = input_scale * filter_scale[c] / output_scale, in double precision."""
    assert filter_t.quant is not None
    scales = filter_t.quant.scale
    if len(scales) == 1:
        scales = scales * channels
    pairs = [quantize_multiplier(input_t.scale * s / output_t.scale) for s in scales]
    mult = np.array([m for m, _ in pairs], dtype=np.int32)
    shift = np.array([s for _, s in pairs], dtype=np.int8)  # within [-31, 30]
    return mult, shift


def int8_activation_range(op: Operator, output_t: Tensor) -> tuple[int, int]:
    """The clamp range; a ModelError when the output scale is so small that TFLite's
    float-to-int conversion of the activation's bounds (6 / scale...) is undefined."""
    activation = activation_of(op)
    bound = {"RELU": 0.0, "RELU6": 6.0, "RELU_N1_TO_1": 1.0}.get(activation, 0.0)
    quotient = float(np.float32(bound) / np.float32(output_t.scale))
    if not math.isfinite(quotient) or abs(quotient) + abs(output_t.zero_point) >= 2**31:
        raise ModelError(f"operator {op.index} ({op.op_type}): output scale "
                         f"{output_t.scale:g} is too small for the fused {activation}; the "
                         "file is corrupt or the model was not quantized by a converter")
    return activation_range_int8(activation, output_t.scale, output_t.zero_point)


def check_int8_accumulator(op: Operator, weights: np.ndarray, bias: np.ndarray | None,
                           input_zero_point: int) -> None:
    """Raise ModelError unless every int32 accumulator of an int8 conv / depthwise / fully
    connected op stays in range for every int8 input.

    weights: [channels, taps] with the filter offset applied; bias: [channels] or None.
    The kernels add (input - input_zero_point) * weight (or input * weight to a bias folded
    with the zero point) over the taps; |input - zero point| <= 128 + |zero point| bounds
    both forms, so the sum is defined (as in TFLite) when the bound fits int32.
    """
    w = np.abs(weights.astype(np.int64)).reshape(weights.shape[0], -1).sum(axis=1)
    b = np.zeros_like(w) if bias is None else np.abs(bias.astype(np.int64).reshape(-1))
    bound = b + (128 + abs(int(input_zero_point))) * w
    if bound.size and int(bound.max()) >= 2**31:
        channel = int(bound.argmax())
        raise ModelError(
            f"operator {op.index} ({op.op_type}): output channel {channel} can overflow the "
            f"int32 accumulator (bias {int(b[channel])}, sum of |weights| {int(w[channel])}); "
            "the weights or bias are corrupt or out of the range a converter produces")


def float_activation_range(op: Operator) -> tuple[str, str]:
    """C expressions for the float clamp range (FLT_MAX stands for infinity, like TFLite's
    numeric_limits<float>::max/lowest)."""
    lo, hi = activation_range_float(activation_of(op))
    return c_float(lo), c_float(hi)


def c_float(value: float) -> str:
    """A float parameter of a kernel call (infinity: FLT_MAX, as TFLite's clamp ranges)."""
    return c_literal_float(value, infinity="FLT_MAX")


def c_array(values: Sequence[int], length: int | None = None) -> str:
    """A C brace initializer of integers, padded with zeros to `length` when given."""
    padded = [*values, *([0] * ((length or 0) - len(values)))]
    return "{" + ", ".join(str(int(v)) for v in padded) + "}"


def struct_call(kernel: str, fields: Mapping[str, object], args: Sequence[str], *,
                function: str | None = None, status: bool = False) -> str:
    """`{ static const mf_<kernel>_params p = {.name = value, ...}; mf_<kernel>(&p, args...); }`
    with every field of the header's struct named (kernel_structs.designated); `function`
    calls another entry point that takes the same parameter struct (a kernel variant);
    `status`: the kernel returns an int status, and invoke returns it when it is not 0."""
    call = f"{function or 'mf_' + kernel}(&p, {', '.join(args)})"
    body = (f"int status = {call}; if (status != 0) {{ return status; }}" if status
            else f"{call};")
    return f"{{ {static_params('p', f'mf_{kernel}_params', fields)}{body} }}"


def static_params(name: str, struct: str, fields: Mapping[str, object]) -> str:
    """`static const <struct> <name> = {.field = value, ...}; ` (every field named)."""
    return f"static const {struct} {name} = {designated(struct, fields)}; "


def loops_initializer(struct: str, max_rank: int, outer: tuple[tuple[int, ...], tuple[int, ...]],
                      inner: tuple[tuple[int, ...], tuple[int, ...]]) -> str:
    """The initializer of an outer/inner loop nest struct (mf_reduce_loops, mf_mean_loops):
    ranks, counts and element strides of both loops, the arrays padded to max_rank."""
    return designated(struct, {
        "outer_rank": len(outer[0]), "outer_count": c_array(outer[0], max_rank),
        "outer_stride": c_array(outer[1], max_rank), "inner_rank": len(inner[0]),
        "inner_count": c_array(inner[0], max_rank), "inner_stride": c_array(inner[1], max_rank)})


def named(names: str, values: Sequence[object]) -> dict[str, object]:
    """{name: value} for the space-separated names and the values in the same order."""
    return dict(zip(names.split(), values, strict=True))


def pick(obj: object, names: str) -> dict[str, object]:
    """{name: obj.name} for the space-separated attribute names (struct fields that a params
    dataclass holds under the same name)."""
    return {name: getattr(obj, name) for name in names.split()}


def dtypes(graph: Graph, op: Operator) -> tuple[str, ...]:
    """dtypes of the op's present inputs, then outputs."""
    return tuple(t.dtype for t in graph.op_inputs(op) if t is not None) + tuple(
        t.dtype for t in graph.op_outputs(op))


def per_tensor_problem(t: Tensor, what: str) -> str | None:
    """Why a quantized (int8, int16) tensor cannot be handled per tensor, or None."""
    if t.quant is None:
        return f"{t.dtype} {what} has no quantization parameters"
    if t.quant.per_channel:
        return f"{what} is quantized per channel"
    return None


MAX_WINDOW = 1 << 24  # filter size, stride, dilation, dilated extent, padding of one axis


def padding_and_output(in_size: int, filter_size: int, stride: int, dilation: int,
                       padding: str, op: Operator | None = None) -> tuple[int, int]:
    """(pad_before, out_size) exactly as TFLite's ComputePaddingHeightWidth; a ModelError when
    the window's numbers go beyond MAX_WINDOW (they are int32 fields of the kernels)."""
    effective = (filter_size - 1) * dilation + 1
    if max(filter_size, stride, dilation, effective) > MAX_WINDOW:
        where = f"operator {op.index} ({op.op_type}): " if op is not None else ""
        raise ModelError(f"{where}filter {filter_size}, stride {stride}, dilation {dilation}: "
                         f"above the limit of {MAX_WINDOW:,}; the file is corrupt")
    if padding == "SAME":
        out = (in_size + stride - 1) // stride
    elif padding == "VALID":
        out = (in_size - effective + stride) // stride
    else:
        raise ValueError(f"padding {padding}")
    total = (out - 1) * stride + effective - in_size
    return max(total // 2, 0), out
