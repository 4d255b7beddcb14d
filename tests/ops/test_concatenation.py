"""CONCATENATION vs TFLM on generated single-op models: int8 bit-exact, float32 rtol 1e-5."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.ir.tflite_reader import read_tflite
from microforge.ops.base import get_op
from tests.ops.layout_harness import check_both_layers
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import op_types


def concat_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(6000 + seed)
    rank = int(rng.integers(1, 5))
    base = [int(rng.integers(1, 6)) for _ in range(rank)]
    axis = int(rng.integers(0, rank))
    n_inputs = int(rng.integers(2, 5))
    shapes = []
    for _ in range(n_inputs):
        shape = list(base)
        shape[axis] = int(rng.integers(1, 5))
        shapes.append(shape)
    signed_axis = axis - rank if rng.random() < 0.3 else axis

    def fn(*xs):
        return tf.concat(list(xs), signed_axis)

    return build_tflite(fn, shapes, mode, seed=seed)


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(4))
def test_concatenation_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = concat_model(seed, mode)
    assert op_types(model) == ["CONCATENATION"]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(4, 50))
def test_concatenation_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int,
                                         mode: str) -> None:
    model = concat_model(seed, mode)
    assert op_types(model) == ["CONCATENATION"]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.parametrize("mode", ["int8", "float"])
def test_concatenation_with_a_constant_and_a_computed_input(tf, tflm, tmp_path: Path,
                                                            mode: str) -> None:
    def fn(x):
        const = tf.constant(np.linspace(-0.5, 0.5, 12, dtype=np.float32).reshape(1, 2, 6))
        return tf.concat([tf.nn.max_pool1d(x, 2, 2, "VALID"), const], axis=1)

    model = build_tflite(fn, [(1, 5, 6)], mode)
    assert "CONCATENATION" in op_types(model)
    check_both_layers(model, tmp_path)


def test_int8_inputs_quantized_unlike_the_output_are_rejected(tf) -> None:
    def fn(a, b):
        return tf.concat([a, b], axis=1)

    graph = read_tflite(build_tflite(fn, [(1, 3), (1, 2)], "int8"))
    op = graph.operators[0]
    opdef = get_op("CONCATENATION")
    assert opdef is not None and opdef.unsupported_reason(op, graph) is None
    from dataclasses import replace

    from microforge.ir.tensor import QuantParams

    b = graph.tensors[op.inputs[1]]
    assert b.quant is not None
    graph.tensors[b.index] = replace(b, quant=QuantParams((b.scale * 2,), b.quant.zero_point))
    reason = opdef.unsupported_reason(op, graph)
    assert reason is not None and "TFLM rejects this too" in reason


@pytest.mark.parametrize("dtype", ["int32", "int16", "int64", "bool"])
def test_concatenation_of_other_dtypes_matches_tflm(tmp_path: Path, dtype: str) -> None:
    """The audio preprocessor's int32 concatenation with constant zeros (and int16, int64,
    bool): the same byte copies."""
    from tests.fuzz.schema import schema
    from tests.ops.signal_build import Spec, assert_stream_matches_tflm, const, signal_model

    rng = np.random.default_rng(4)
    options = schema().ConcatenationOptionsT()
    options.axis = 0
    model = signal_model("CONCATENATION", [const(np.zeros(5), dtype), Spec((236,), dtype),
                                           const(np.ones(16), dtype)],
                         [Spec((257,), dtype)], builtin=2, builtin_options=(10, options))
    values = rng.integers(-2**31, 2**31, 236, dtype=np.int64)
    x = values.astype(dtype) if dtype != "bool" else values > 0
    assert assert_stream_matches_tflm(model, tmp_path / "c", [[x]]) == 1
