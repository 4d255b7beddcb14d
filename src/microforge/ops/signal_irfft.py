"""TFLM's SignalIrfft (custom op) for int16 (T = INT16): the real inverse FFT of every frame of
fft_length / 2 + 1 complex int16 bins (re, im interleaved), fft_length int16 samples out. TFLM
runs KISS FFT 1.3.0's kiss_fftri built with FIXED_POINT=16 (each stage divides by its radix,
so the output is the inverse transform scaled by 1 / fft_length); the kernel follows it step
for step, with the inverse twiddles computed here as KISS FFT does (see signal_rfft.py).

Only fft_length / 2 a power of two, and only int16 (TFLM also has int32 and float32)."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_array, pick, struct_call
from microforge.ops.base import Cost, EmitContext, MemoryHints, register
from microforge.ops.signal_common import SignalOp
from microforge.ops.signal_rfft import (
    MAX_FFT_LENGTH,
    MAX_STAGES,
    TENSOR_TYPE_INT16,
    kiss_factors,
    twiddles,
)


@dataclass(frozen=True)
class IrfftParams:
    fft_length: int
    frames: int
    input_length: int
    output_length: int
    stages: tuple[tuple[int, int], ...]

    @property
    def scratch_bytes(self) -> int:
        return 2 * self.fft_length


@register
class SignalIrfft(SignalOp):
    op_type = "CUSTOM:SignalIrfft"
    dtypes = ("int16",)
    input_dtypes = ("int16",)
    output_dtypes = ("int16",)

    def option_problem(self, op: Operator, graph: Graph) -> str | None:
        kind = op.options.get("T")
        if kind != TENSOR_TYPE_INT16:
            return f"T = {kind!r}: only the int16 Irfft (T = {TENSOR_TYPE_INT16}) is implemented"
        n = op.options.get("fft_length")
        if isinstance(n, int) and not isinstance(n, bool) and 4 <= n <= MAX_FFT_LENGTH and (
                n & (n - 1)):
            return f"fft_length {n}: only powers of two are implemented"
        return None

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
        return IrfftParams(n, frames, x.shape[-1] // 2, n, tuple(kiss_factors(n // 2)))

    def cost(self, op: Operator, graph: Graph, params: IrfftParams) -> Cost:
        n = params.fft_length
        return Cost(macs=params.frames * (3 * n * max(1, n.bit_length() - 2) + 2 * n),
                    weight_bytes=3 * n, scratch_bytes=params.scratch_bytes)

    def memory(self, op: Operator, graph: Graph, params: IrfftParams) -> MemoryHints:
        return MemoryHints(scratch_bytes=params.scratch_bytes, scratch_always=True)

    def emit(self, op: Operator, graph: Graph, params: IrfftParams, ctx: EmitContext) -> None:
        ctx.use_kernel("signal_fft16")
        ctx.use_kernel("signal_irfft")
        tw, sup = twiddles(params.fft_length, inverse=True)
        factors = [v for stage in params.stages for v in stage]
        fields = {**pick(params, "fft_length frames input_length output_length"),
                  "factors": c_array(factors, 2 * MAX_STAGES),
                  "twiddles": ctx.const("irfft_twiddles", tw),
                  "super_twiddles": ctx.const("irfft_super_twiddles", sup)}
        ctx.call(struct_call("signal_irfft", fields,
                             [ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]), ctx.scratch()]))
