"""Hand-built int16 -> int16 single-op models (16x8 scheme: per-tensor, zero point 0 unless
asked) checked against TFLM on every int16 input value (a 256 x 256 ramp, in order and
reversed), both layers: the op harness and `microforge.compile`."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

SHAPE = (256, 256)  # every int16 value once


def every_int16_value() -> list[list[np.ndarray]]:
    ramp = np.arange(-32768, 32768, dtype=np.int32).astype(np.int16).reshape(SHAPE)
    return [[ramp], [ramp[::-1, ::-1].copy()]]


def unary_int16_model(op_type: str, in_quant: tuple[float, int] | None,
                      out_quant: tuple[float, int] | None,
                      int_options: tuple[str, tuple[int, ...]] | None = None) -> bytes:
    tensors = [RawTensor(SHAPE, "int16", in_quant), RawTensor(SHAPE, "int16", out_quant)]
    return raw_tflite(tensors, [RawOp(op_type, (0,), (1,), int_options=int_options)], [0], [1])


def random_scales(rng: np.random.Generator, n: int, low: float = -5.0,
                  high: float = -1.0) -> list[tuple[float, float]]:
    """n (input scale, output scale) pairs, log-uniform in [10^low, 10^high]."""
    return [(float(10 ** rng.uniform(low, high)), float(10 ** rng.uniform(low, high)))
            for _ in range(n)]


def check_every_value(model: bytes, work_dir: Path) -> None:
    check_samples(model, work_dir, every_int16_value())
