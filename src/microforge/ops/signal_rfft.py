"""TFLM's SignalRfft (custom op) for int16 (T = INT16): the real FFT of every frame of the
last axis, zero-padded to fft_length, as fft_length / 2 + 1 complex int16 bins (re, im
interleaved). TFLM runs KISS FFT 1.3.0 built with FIXED_POINT=16; the kernel follows its
arithmetic step for step (kernels/signal_rfft.c), with its decomposition of fft_length / 2
(factors of 4, then one 2) and its twiddle tables, which the compiler computes here as KISS FFT
does (floor(0.5 + 32767 cos(phase)) in double) and stores in flash.

Only fft_length / 2 a power of two is implemented (KISS FFT's radix-3, -5 and generic
butterflies are not), and only int16 (TFLM also has int32 and float32 Rfft)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_array, pick, struct_call
from microforge.ops.base import Cost, EmitContext, MemoryHints, register
from microforge.ops.signal_common import SignalOp

TENSOR_TYPE_INT16 = 7  # tflite TensorType, the "T" option
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


def _q15_phasor(phase: float) -> tuple[int, int]:
    return (math.floor(0.5 + 32767 * math.cos(phase)), math.floor(0.5 + 32767 * math.sin(phase)))


def twiddles(fft_length: int, inverse: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(twiddles of the fft_length / 2 complex FFT, the real split's super twiddles), each as
    interleaved int16 (re, im); `inverse`: the phases of KISS FFT's inverse configuration."""
    n = fft_length // 2
    sign = 1 if inverse else -1
    tw = [_q15_phasor(sign * 2 * math.pi * i / n) for i in range(n)]
    sup = [_q15_phasor(sign * math.pi * ((i + 1) / n + 0.5)) for i in range(n // 2)]
    return (np.asarray(tw, dtype=np.int16).reshape(-1),
            np.asarray(sup or [(0, 0)], dtype=np.int16).reshape(-1))


@dataclass(frozen=True)
class RfftParams:
    fft_length: int
    input_length: int
    input_size: int
    output_length: int
    stages: tuple[tuple[int, int], ...]

    @property
    def scratch_bytes(self) -> int:
        return 2 * self.fft_length  # the half-length complex FFT's output (int16 pairs)


@register
class SignalRfft(SignalOp):
    op_type = "CUSTOM:SignalRfft"
    dtypes = ("int16",)
    input_dtypes = ("int16",)
    output_dtypes = ("int16",)

    def option_problem(self, op: Operator, graph: Graph) -> str | None:
        kind = op.options.get("T")
        if kind != TENSOR_TYPE_INT16:
            return f"T = {kind!r}: only the int16 Rfft (T = {TENSOR_TYPE_INT16}) is implemented"
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
        return RfftParams(n, frame, x.num_elements, out.shape[-1] // 2, stages)

    def cost(self, op: Operator, graph: Graph, params: RfftParams) -> Cost:
        n = params.fft_length
        frames = params.input_size // params.input_length
        # 3 complex products (4 multiplies each) per radix-4 butterfly, log4(n/2) stages
        macs = frames * (3 * n * max(1, int(math.log2(n)) - 1) + 2 * n)
        return Cost(macs=macs, weight_bytes=2 * n + n, scratch_bytes=params.scratch_bytes)

    def memory(self, op: Operator, graph: Graph, params: RfftParams) -> MemoryHints:
        return MemoryHints(scratch_bytes=params.scratch_bytes, scratch_always=True)

    def emit(self, op: Operator, graph: Graph, params: RfftParams, ctx: EmitContext) -> None:
        ctx.use_kernel("signal_fft16")
        ctx.use_kernel("signal_rfft")
        tw, sup = twiddles(params.fft_length)
        tw_symbol = ctx.const("rfft_twiddles", tw)
        sup_symbol = ctx.const("rfft_super_twiddles", sup)
        factors = [v for stage in params.stages for v in stage]
        fields = {**pick(params, "fft_length input_length input_size output_length"),
                  "n_stages": len(params.stages), "factors": c_array(factors, 2 * MAX_STAGES),
                  "twiddles": tw_symbol, "super_twiddles": sup_symbol}
        ctx.call(struct_call("signal_rfft", fields,
                             [ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]), ctx.scratch()]))
