"""TFLM's SignalIrfft (custom op) for int16, int32 and float32 (option T): the real inverse FFT
of every frame of fft_length / 2 + 1 complex bins (re, im interleaved), fft_length samples out.
TFLM runs KISS FFT 1.3.0's kiss_fftri built with FIXED_POINT=16, 32 or float (the fixed-point
stages divide by their radix, so those outputs are the inverse transform scaled by
1 / fft_length; TFLM divides the float one by fft_length afterwards); the kernels follow it step for step, with the
inverse twiddles computed here as KISS FFT does (see signal_rfft.py).

Only fft_length / 2 a power of two."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_array, pick, struct_call
from microforge.ops.base import Cost, EmitContext, MemoryHints, register
from microforge.ops.signal_common import SignalOp
from microforge.ops.signal_rfft import (
    FFT_TYPES,
    MAX_FFT_LENGTH,
    MAX_STAGES,
    SignalRfft,
    kiss_factors,
    twiddles,
    use_fft_kernels,
)


@dataclass(frozen=True)
class IrfftParams:
    dtype: str
    fft_length: int
    frames: int
    input_length: int
    output_length: int
    stages: tuple[tuple[int, int], ...]

    @property
    def scratch_bytes(self) -> int:
        return self.fft_length * np.dtype(self.dtype).itemsize


@register
class SignalIrfft(SignalOp):
    op_type = "CUSTOM:SignalIrfft"
    dtypes = ("int16", "int32", "float32")
    unsupported_reason = SignalRfft.unsupported_reason  # the same T and fft_length rules

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        self.prepare(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> IrfftParams:
        n = self.int_option(op, "fft_length", 4, MAX_FFT_LENGTH)
        if n & (n - 1):
            raise self.fail(op, f"custom option 'fft_length' is {n}; it must be a power of two")
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        if not x.shape or len(out.shape) != len(x.shape):
            raise self.fail(op, f"input {list(x.shape)} and output {list(out.shape)} need the "
                                "same rank >= 1")
        if x.shape[-1] != 2 * (n // 2 + 1):
            raise self.fail(op, f"the input's last dimension is {x.shape[-1]}; fft_length {n} "
                                f"needs {n // 2 + 1} complex bins = {2 * (n // 2 + 1)} int16")
        if out.shape[-1] != n:
            raise self.fail(op, f"the output's last dimension is {out.shape[-1]}; fft_length "
                                f"{n} gives {n} samples")
        frames = x.num_elements // x.shape[-1]
        if out.num_elements // n != frames:
            raise self.fail(op, f"input {list(x.shape)} and output {list(out.shape)} hold "
                                "different numbers of frames")
        return IrfftParams(x.dtype, n, frames, x.shape[-1] // 2, n, tuple(kiss_factors(n // 2)))

    def cost(self, op: Operator, graph: Graph, params: IrfftParams) -> Cost:
        n = params.fft_length
        return Cost(macs=params.frames * (3 * n * max(1, n.bit_length() - 2) + 2 * n),
                    weight_bytes=3 * n * np.dtype(params.dtype).itemsize // 2,
                    scratch_bytes=params.scratch_bytes)

    def memory(self, op: Operator, graph: Graph, params: IrfftParams) -> MemoryHints:
        return MemoryHints(scratch_bytes=params.scratch_bytes, scratch_always=True)

    def emit(self, op: Operator, graph: Graph, params: IrfftParams, ctx: EmitContext) -> None:
        _, suffix, arithmetic = next(v for v in FFT_TYPES.values() if v[0] == params.dtype)
        use_fft_kernels(ctx, f"signal_irfft{suffix}", arithmetic)
        tw, sup = twiddles(params.fft_length, inverse=True, dtype=params.dtype)
        factors = [v for stage in params.stages for v in stage]
        fields = {**pick(params, "fft_length frames input_length output_length"),
                  "factors": c_array(factors, 2 * MAX_STAGES),
                  "twiddles": ctx.const("irfft_twiddles", tw),
                  "super_twiddles": ctx.const("irfft_super_twiddles", sup)}
        ctx.call(struct_call("signal_irfft", fields,
                             [ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]), ctx.scratch()],
                             function=f"mf_signal_irfft{suffix}"))
