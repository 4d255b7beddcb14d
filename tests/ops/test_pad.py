"""PAD / PADV2 vs TFLM on generated single-op models: int8 bit-exact, float32 rtol 1e-5;
hand-built int16 / int32 models (TFLM pads those with 0, or PADV2's raw value) bit-exact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.ir.tflite_reader import read_tflite
from tests.ops.layout_harness import RawOp, RawTensor, check_both_layers, raw_tflite
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import op_types


def pad_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(5000 + seed)
    rank = int(rng.integers(1, 6))
    shape = [int(rng.integers(1, 6)) for _ in range(rank)]
    paddings = rng.integers(0, 4, size=(rank, 2)).tolist()
    if rank == 4 and rng.random() < 0.5:  # "image style": batch and channels unpadded
        paddings[0] = paddings[3] = [0, 0]
    if not any(any(p) for p in paddings):
        paddings[-1][1] = 1
    value = None if rng.random() < 0.5 else float(rng.uniform(-1.5, 1.5))
    lo = float(rng.uniform(-2.0, 0.0))
    hi = float(rng.uniform(0.1, 2.0))

    def fn(x):
        if value is None:
            return tf.pad(x, paddings)
        return tf.pad(x, paddings, constant_values=value)

    return build_tflite(fn, [shape], mode, seed=seed, input_range=(lo, hi))


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(4))
def test_pad_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = pad_model(seed, mode)
    assert op_types(model)[0] in ("PAD", "PADV2")
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(4, 50))
def test_pad_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = pad_model(seed, mode)
    assert op_types(model)[0] in ("PAD", "PADV2")
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.parametrize("mode", ["int8", "float"])
def test_padv2_pads_with_its_constant(tf, tflm, tmp_path: Path, mode: str) -> None:
    def fn(x):
        return tf.pad(x, [[0, 0], [2, 1], [1, 3], [0, 0]], constant_values=0.75)

    model = build_tflite(fn, [(1, 3, 4, 2)], mode)
    assert op_types(model) == ["PADV2"]
    check_both_layers(model, tmp_path)
    from microforge.ops.pad import PadV2

    graph = read_tflite(model)
    params = PadV2().prepare(graph.operators[0], graph)
    out = graph.tensors[graph.outputs[0]]
    real = 0.75 if mode == "float" else out.scale * (params.value - out.zero_point)
    assert real == pytest.approx(0.75, abs=out.scale if mode == "int8" else 0.0)


def test_int8_pad_uses_the_output_zero_point(tf, tflm, tmp_path: Path) -> None:
    def fn(x):
        return tf.pad(x, [[1, 1], [0, 2]])

    model = build_tflite(fn, [(3, 4)], "int8", input_range=(0.0, 3.0))  # zero point != 0
    graph = read_tflite(model)
    from microforge.ops.pad import Pad

    params = Pad().prepare(graph.operators[0], graph)
    assert params.value == graph.tensors[graph.outputs[0]].zero_point != 0
    check_both_layers(model, tmp_path)


def raw_pad_model(seed: int, dtype: str, op_type: str) -> bytes:
    """A hand-built int16 / int32 PAD or PADV2 (int16 with a non-zero zero point: TFLM still
    pads PAD with 0, not the zero point)."""
    rng = np.random.default_rng(5100 + seed)
    rank = int(rng.integers(1, 6))
    shape = [int(rng.integers(1, 5)) for _ in range(rank)]
    paddings = rng.integers(0, 3, size=(rank, 2))
    paddings[-1, 1] += 1
    out_shape = tuple(int(n + a + b) for n, (a, b) in zip(shape, paddings, strict=True))
    quant = (0.002, int(rng.integers(-5, 6))) if dtype == "int16" else None
    info = np.iinfo(np.int16 if dtype == "int16" else np.int32)
    tensors = [RawTensor(tuple(shape), dtype, quant),
               RawTensor((rank, 2), "int32", data=paddings.astype(np.int32)),
               RawTensor(out_shape, dtype, quant)]
    inputs: tuple[int, ...] = (0, 1)
    if op_type == "PADV2":
        value = np.array(int(rng.integers(info.min, info.max, endpoint=True)),
                         dtype=np.int16 if dtype == "int16" else np.int32)
        tensors.insert(2, RawTensor((), dtype, quant, data=value))
        inputs = (0, 1, 2)
    out = len(tensors) - 1
    return raw_tflite(tensors, [RawOp(op_type, inputs, (out,))], [0], [out])


@pytest.mark.parametrize("op_type", ["PAD", "PADV2"])
@pytest.mark.parametrize("dtype", ["int16", "int32"])
@pytest.mark.parametrize("seed", range(3))
def test_pad_int16_int32_match_tflm(tflm, tmp_path: Path, seed: int, dtype: str,
                                    op_type: str) -> None:
    check_both_layers(raw_pad_model(seed, dtype, op_type), tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("op_type", ["PAD", "PADV2"])
@pytest.mark.parametrize("dtype", ["int16", "int32"])
@pytest.mark.parametrize("seed", range(3, 15))
def test_pad_int16_int32_match_tflm_many(tflm, tmp_path: Path, seed: int, dtype: str,
                                         op_type: str) -> None:
    check_both_layers(raw_pad_model(seed, dtype, op_type), tmp_path, seed=seed)
