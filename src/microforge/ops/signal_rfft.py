"""TFLM's SignalRfft (custom op) for int16, int32 and float32 (option T): the real FFT of every
frame of the last axis, zero-padded to fft_length, as fft_length / 2 + 1 complex bins (re, im
interleaved). TFLM runs KISS FFT 1.3.0 built with FIXED_POINT=16, FIXED_POINT=32 or float; the
kernels follow its arithmetic step for step (kernels/signal_fft_template.h), with its
decomposition of fft_length / 2 (factors of 4, then one 2) and its twiddle tables, which the
compiler computes here as KISS FFT does (floor(0.5 + 32767 cos(phase)) in double for int16,
2147483647 for int32, (float)cos(phase) for float) and stores in flash.

Only fft_length / 2 a power of two is implemented (KISS FFT's radix-3, -5 and generic
butterflies are not)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_array, pick, struct_call
from microforge.ops.base import Cost, EmitContext, MemoryHints, register
from microforge.ops.signal_common import SignalOp

TENSOR_TYPE_INT16 = 7  # tflite TensorType, the "T" option
# T -> (dtype, kernel suffix, arithmetic header suffix)
FFT_TYPES = {7: ("int16", "", "s16"), 2: ("int32", "_s32", "s32"), 0: ("float32", "_f32", "f32")}
_Q = {"int16": 32767, "int32": 2147483647}
MAX_STAGES = 16  # MF_RFFT_MAX_STAGES
MAX_FFT_LENGTH = 1 << 16


def kiss_factors(n: int) -> list[tuple[int, int]]:
    """KISS FFT's kf_factor for a power of two n: (radix, remaining length) per stage."""
    stages, p = [], 4
    floor_sqrt = math.floor(math.sqrt(n))
    while True:
        while n % p:
            p = 2 if p == 4 else (3 if p == 2 else p + 2)
            if p > floor_sqrt:
                p = n
        n //= p
        stages.append((p, n))
        if n <= 1:
            return stages


def fft_type(op: Operator) -> tuple[str, str, str] | None:
    """(dtype, kernel suffix, arithmetic suffix) of the op's T option, None if unknown."""
    kind = op.options.get("T")
    return FFT_TYPES.get(kind) if type(kind) is int else None


def _phasor(phase: float, dtype: str) -> tuple[float, float]:
    if dtype == "float32":  # kf_cexp: (kiss_fft_scalar) cos(phase)
        return (float(np.float32(math.cos(phase))), float(np.float32(math.sin(phase))))
    q = _Q[dtype]  # floor(.5 + SAMP_MAX * cos(phase))
    return (math.floor(0.5 + q * math.cos(phase)), math.floor(0.5 + q * math.sin(phase)))


def twiddles(fft_length: int, inverse: bool = False,
             dtype: str = "int16") -> tuple[np.ndarray, np.ndarray]:
    """(twiddles of the fft_length / 2 complex FFT, the real split's super twiddles), each as
    interleaved (re, im) of `dtype`; `inverse`: the phases of KISS FFT's inverse configuration."""
    n = fft_length // 2
    sign = 1 if inverse else -1
    tw = [_phasor(sign * 2 * math.pi * i / n, dtype) for i in range(n)]
    sup = [_phasor(sign * math.pi * ((i + 1) / n + 0.5), dtype) for i in range(n // 2)]
    return (np.asarray(tw, dtype=dtype).reshape(-1),
            np.asarray(sup or [(0, 0)], dtype=dtype).reshape(-1))


def use_fft_kernels(ctx: EmitContext, op_kernel: str, arithmetic: str) -> None:
    for header in ("signal_fft", "signal_fft_template", f"signal_fft_{arithmetic}"):
        ctx.use_kernel(header)  # headers only
    ctx.use_kernel(op_kernel)


@dataclass(frozen=True)
class RfftParams:
    dtype: str
    fft_length: int
    input_length: int
    input_size: int
    output_length: int
    stages: tuple[tuple[int, int], ...]

    @property
    def scratch_bytes(self) -> int:
        # the half-length complex FFT's output: fft_length / 2 (re, im) pairs
        return self.fft_length * np.dtype(self.dtype).itemsize


@register
class SignalRfft(SignalOp):
    op_type = "CUSTOM:SignalRfft"
    dtypes = ("int16", "int32", "float32")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        kind = fft_type(op)
        if kind is None:
            return (f"T = {op.options.get('T')!r}: TFLM's {self.name} has int16 (7), int32 (2) "
                    "and float32 (0)")
        if len(op.inputs) != 1 or len(op.outputs) != 1:
            return f"needs 1 input and 1 output (TFLM's {self.name})"
        for what, index in (("input", op.inputs[0]), ("output", op.outputs[0])):
            if graph.tensors[index].dtype != kind[0]:
                return f"{what} is {graph.tensors[index].dtype} but T is {kind[0]}"
        n = op.options.get("fft_length")
        if isinstance(n, int) and not isinstance(n, bool) and 4 <= n <= MAX_FFT_LENGTH and (
                n & (n - 1)):
            return f"fft_length {n}: only powers of two are implemented"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> RfftParams:
        n = self.int_option(op, "fft_length", 4, MAX_FFT_LENGTH)
        if n & (n - 1):
            raise self.fail(op, f"custom option 'fft_length' is {n}; it must be a power of two")
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if not x.shape or len(out.shape) != len(x.shape):
            raise self.fail(op, f"input {list(x.shape)} and output {list(out.shape)} need the "
                                "same rank >= 1")
        frame = x.shape[-1]
        if not 0 < frame <= n:
            raise self.fail(op, f"frames of {frame} samples do not fit fft_length {n}")
        if out.shape[-1] != 2 * (n // 2 + 1):
            raise self.fail(op, f"the output's last dimension is {out.shape[-1]}; fft_length "
                                f"{n} gives {n // 2 + 1} complex bins = {2 * (n // 2 + 1)} "
                                "int16")
        if x.num_elements // frame != out.num_elements // out.shape[-1]:
            raise self.fail(op, f"input {list(x.shape)} and output {list(out.shape)} hold "
                                "different numbers of frames")
        stages = tuple(kiss_factors(n // 2))
        return RfftParams(x.dtype, n, frame, x.num_elements, out.shape[-1] // 2, stages)

    def cost(self, op: Operator, graph: Graph, params: RfftParams) -> Cost:
        n = params.fft_length
        frames = params.input_size // params.input_length
        # 3 complex products (4 multiplies each) per radix-4 butterfly, log4(n/2) stages
        macs = frames * (3 * n * max(1, int(math.log2(n)) - 1) + 2 * n)
        return Cost(macs=macs, weight_bytes=3 * n * np.dtype(params.dtype).itemsize // 2,
                    scratch_bytes=params.scratch_bytes)

    def memory(self, op: Operator, graph: Graph, params: RfftParams) -> MemoryHints:
        return MemoryHints(scratch_bytes=params.scratch_bytes, scratch_always=True)

    def emit(self, op: Operator, graph: Graph, params: RfftParams, ctx: EmitContext) -> None:
        _, suffix, arithmetic = next(v for v in FFT_TYPES.values() if v[0] == params.dtype)
        use_fft_kernels(ctx, f"signal_rfft{suffix}", arithmetic)
        tw, sup = twiddles(params.fft_length, dtype=params.dtype)
        tw_symbol = ctx.const("rfft_twiddles", tw)
        sup_symbol = ctx.const("rfft_super_twiddles", sup)
        factors = [v for stage in params.stages for v in stage]
        fields = {**pick(params, "fft_length input_length input_size output_length"),
                  "factors": c_array(factors, 2 * MAX_STAGES), "twiddles": tw_symbol,
                  "super_twiddles": sup_symbol}
        ctx.call(struct_call("signal_rfft", fields,
                             [ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]), ctx.scratch()],
                             function=f"mf_signal_rfft{suffix}"))
