"""SVDF vs TFLM on hand-built models (the converter writes SVDF only from TF1 graphs): float32
with fused activations, int8 with an int16 state and with an int8 state (non-zero zero point),
rank 1 and 2, batch 1 and 2, over a stream of invokes that carry the state, then after reset."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.layout_harness import RawOp, RawTensor, assert_same, raw_tflite

NONE, RELU = 0, 1  # tflite.ActivationFunctionType


def svdf_model(kind: str, batches: int, inputs: int, units: int, rank: int, memory: int,
               activation: int = NONE, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    filters = units * rank
    if kind == "float32":
        quant = {k: None for k in ("x", "w", "t", "s", "b", "o")}
        feature = rng.normal(0, 0.5, (filters, inputs)).astype(np.float32)
        time = rng.normal(0, 0.5, (filters, memory)).astype(np.float32)
        bias = rng.normal(0, 0.5, units).astype(np.float32)
        state_dtype = time_dtype = "float32"
    else:
        state_dtype = time_dtype = "int16" if kind == "int8_int16" else "int8"
        s_state, s_time = (2.0 ** -10, 0.002) if state_dtype == "int16" else (0.04, 0.01)
        zp_state = 0 if state_dtype == "int16" else 4
        quant = {"x": (0.05, -3), "w": (0.01, 0), "t": (s_time, 0), "s": (s_state, zp_state),
                 "b": (float(np.float32(s_state) * np.float32(s_time)), 0), "o": (0.03, 5)}
        feature = rng.integers(-127, 128, (filters, inputs)).astype(np.int8)
        limit = 2000 if time_dtype == "int16" else 127
        time = rng.integers(-limit, limit + 1, (filters, memory)).astype(time_dtype)
        bias = rng.integers(-3000, 3000, units).astype(np.int32)
    x_dtype = "float32" if kind == "float32" else "int8"
    tensors = [RawTensor((batches, inputs), x_dtype, quant["x"]),
               RawTensor((filters, inputs), x_dtype, quant["w"], data=feature),
               RawTensor((filters, memory), time_dtype, quant["t"], data=time),
               RawTensor((units,), "float32" if kind == "float32" else "int32", quant["b"],
                         data=bias),
               RawTensor((batches, memory * filters), state_dtype, quant["s"], variable=True),
               RawTensor((batches, units), x_dtype, quant["o"])]
    op = RawOp("SVDF", (0, 1, 2, 3, 4), (5,), int_options=("SVDFOptions", (rank, activation, 0)))
    return raw_tflite(tensors, [op], [0], [5])


CASES = [("float32", 1, 6, 4, 1, 5, NONE), ("float32", 2, 5, 3, 2, 4, RELU),
         ("int8_int16", 1, 8, 4, 2, 6, NONE), ("int8_int16", 2, 5, 3, 1, 7, NONE),
         ("int8_int8", 1, 6, 5, 1, 4, NONE), ("int8_int8", 2, 4, 2, 2, 3, NONE)]


@pytest.mark.parametrize(("kind", "batches", "inputs", "units", "rank", "memory", "act"), CASES)
def test_a_stream_matches_tflm_and_reset_starts_over(tflm, tmp_path: Path, kind, batches,
                                                     inputs, units, rank, memory, act) -> None:
    import microforge
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    data = svdf_model(kind, batches, inputs, units, rank, memory, act, seed=inputs)
    model = microforge.compile(data, tmp_path / "out")
    assert model.info.state_size > 0
    rng = np.random.default_rng(batches + memory)
    if kind == "float32":
        stream = [rng.normal(0, 1, (batches, inputs)).astype(np.float32) for _ in range(10)]
    else:
        stream = [rng.integers(-128, 128, (batches, inputs)).astype(np.int8) for _ in range(10)]
    interp = tflm_interpreter(data)
    for k, x in enumerate(stream):
        assert_same(run_tflm(data, [x], interp), model.run([x]), f"{kind} invoke {k}")
    interp.reset()
    model.reset()
    for k, x in enumerate(stream[:3]):
        assert_same(run_tflm(data, [x], interp), model.run([x]), f"{kind} after reset {k}")
