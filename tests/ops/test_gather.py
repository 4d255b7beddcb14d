"""GATHER vs TFLM: converter-built float32/int8 models with constant positions (axis and
batch_dims drawn), and a hand-built one whose int32 positions are a model input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.errors import ModelError
from microforge.ir.tflite_reader import read_tflite
from microforge.ops.base import get_op
from tests.ops.layout_harness import (
    RawOp,
    RawTensor,
    assert_same,
    build_library,
    check_both_layers,
    raw_tflite,
    tflm_reference,
)
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import op_types


def gather_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(9000 + seed)
    rank = int(rng.integers(1, 5))
    shape = [int(rng.integers(2, 6)) for _ in range(rank)]
    axis = int(rng.integers(0, rank))
    batch_dims = int(rng.integers(0, axis + 1)) if axis and rng.random() < 0.4 else 0
    coords_shape = [*shape[:batch_dims], *[int(rng.integers(1, 4))
                                           for _ in range(int(rng.integers(0, 3)))]]
    coords = rng.integers(0, shape[axis], size=coords_shape).astype(np.int32)
    signed_axis = axis - rank if rng.random() < 0.3 else axis

    def fn(x):
        return tf.gather(x, tf.constant(coords), axis=signed_axis, batch_dims=batch_dims)

    return build_tflite(fn, [shape], mode, seed=seed)


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(4))
def test_gather_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = gather_model(seed, mode)
    assert op_types(model) == ["GATHER"]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(4, 30))
def test_gather_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = gather_model(seed, mode)
    assert op_types(model) == ["GATHER"]
    check_both_layers(model, tmp_path, seed=seed)


def _computed_positions_model(dtype: str) -> bytes:
    quant = (0.05, 3) if dtype == "int8" else None
    tensors = [RawTensor((5, 3, 2), dtype, quant), RawTensor((2, 4), "int32"),
               RawTensor((2, 4, 3, 2), dtype, quant)]
    return raw_tflite(tensors, [RawOp("GATHER", (0, 1), (2,))], [0, 1], [2])


@pytest.mark.parametrize("dtype", ["int8", "float32"])
def test_gather_computed_positions_match_tflm(tflm, tmp_path: Path, dtype: str) -> None:
    import microforge

    model = _computed_positions_model(dtype)
    rng = np.random.default_rng(5)
    samples = []
    for _ in range(4):
        x = (rng.integers(-128, 128, (5, 3, 2)).astype(np.int8) if dtype == "int8"
             else rng.uniform(-1, 1, (5, 3, 2)).astype(np.float32))
        samples.append([x, rng.integers(0, 5, (2, 4)).astype(np.int32)])
    reference = tflm_reference(model, samples)
    harness = build_library(model, tmp_path / "harness")
    compiled = microforge.compile(model, tmp_path / "compiled")
    for k, (sample, expected) in enumerate(zip(samples, reference, strict=True)):
        assert_same(expected, harness.run(sample), f"harness sample {k}")
        assert_same(expected, compiled.run(sample), f"compiled sample {k}")
    # a position outside the axis (undefined in TFLM) gives a zero block, never a wild read
    bad = [samples[0][0], np.array([[0, 7, -1, 4]] * 2, np.int32)]
    got = harness.run(bad)[0]
    assert not got[:, 1:3].any() and np.array_equal(got[:, 0], np.stack([bad[0][0]] * 2))


def test_constant_position_outside_the_axis_is_an_error() -> None:
    tensors = [RawTensor((4, 3), "float32"),
               RawTensor((2,), "int32", data=np.array([1, 4], np.int32)),
               RawTensor((2, 3), "float32")]
    graph = read_tflite(raw_tflite(tensors, [RawOp("GATHER", (0, 1), (2,))], [0], [2]))
    opdef = get_op("GATHER")
    assert opdef is not None and opdef.unsupported_reason(graph.operators[0], graph) is None
    with pytest.raises(ModelError, match=r"\(GATHER\): position 4 is outside axis 0 of size 4"):
        opdef.check_shapes(graph.operators[0], graph)


def test_gather_out_of_axis_positions_are_clean_under_sanitizers(tflm, tmp_path: Path) -> None:
    import microforge

    model = _computed_positions_model("float32")
    x = np.arange(30, dtype=np.float32).reshape(5, 3, 2)
    positions = np.array([[0, 5, -1, 2**31 - 1], [4, -2**31, 3, 1]], np.int32)
    got = microforge.compile(model, tmp_path / "m").sanitized().run([x, positions])[0]
    assert np.array_equal(got[0, 0], x[0]) and not got[0, 1:].any()
    assert np.array_equal(got[1, 0], x[4]) and np.array_equal(got[1, 2], x[3])
