"""DEQUANTIZE int8 -> float32: one float multiply equals TFLM's double product rounded once.

A converted model with int8 input and float output is RELU -> DEQUANTIZE; both run through the
harness (RELU is bit-exact on its own, test_relu.py) and the float output must equal TFLM's
exactly, over every int8 value and random DEQUANTIZE parameters.
"""

from __future__ import annotations

import numpy as np
import pytest

from microforge.ir.tflite_reader import read_tflite
from microforge.runners.tflm import run_tflm
from tests.ops.kernel_harness import random_quantization, run_graph

SHAPE = (2, 131)


def int8_in_float_out_model(tf) -> bytes:
    concrete = tf.function(tf.nn.relu, autograph=False).get_concrete_function(
        tf.TensorSpec(SHAPE, tf.float32))
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete])
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = lambda: (
        [np.random.default_rng(i).uniform(-1, 1, SHAPE).astype(np.float32)] for i in range(8))
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    return converter.convert()


def test_exact_for_every_int8_value_and_random_parameters(tf, tflm, tmp_path):
    base = int8_in_float_out_model(tf)
    graph = read_tflite(base)
    assert [op.op_type for op in graph.operators] == ["RELU", "DEQUANTIZE"]
    dequantize_input = graph.operators[1].inputs[0]
    rng = np.random.default_rng(7)
    ramp = np.resize(np.arange(-128, 128), SHAPE[0] * SHAPE[1]).astype(np.int8).reshape(SHAPE)
    for k in range(8):
        model = base if k == 0 else random_quantization(base, rng, [dequantize_input],
                                                        (-5.0, 2.0))
        expected = run_tflm(model, [ramp])[0]
        got = run_graph(read_tflite(model), tmp_path / f"m{k}", [ramp])[0]
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize(("scale", "zero_point"), [(2.0**-15, 0), (3.7e-4, 0), (0.0123, 0),
                                                   (1.9e-3, -41), (7.1e3, 0)])
def test_int16_matches_tflm_on_every_input(tflm, tmp_path, scale: float, zero_point: int):
    """int16 -> float32 (hand-built), every int16 value: the floats equal TFLM's exactly."""
    from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite, tflm_reference
    from tests.ops.layout_harness import check_samples as _check

    ramp = np.arange(-32768, 32768, dtype=np.int16)
    tensors = [RawTensor((ramp.size,), "int16", (scale, zero_point)),
               RawTensor((ramp.size,), "float32")]
    model = raw_tflite(tensors, [RawOp("DEQUANTIZE", (0,), (1,))], [0], [1])
    _check(model, tmp_path, [[ramp]])  # float within the harness tolerance, then exactly:
    expected = tflm_reference(model, [[ramp]])[0][0]
    got = run_graph(read_tflite(model), tmp_path / "exact", [ramp])[0]
    np.testing.assert_array_equal(got, expected)


def test_uint8_every_value_matches_tflm(tflm, tmp_path):
    """uint8 -> float32 (hand-built: the converter no longer writes uint8 activations), every
    uint8 value, zero points 0, 128, 255 and random scales, both layers, exactly TFLM's."""
    from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

    rng = np.random.default_rng(11)
    ramp = np.arange(256, dtype=np.uint8).reshape(2, 128)
    for k, zero_point in enumerate((0, 128, 255, int(rng.integers(0, 256)))):
        scale = float(10 ** rng.uniform(-4, 1))
        tensors = [RawTensor((2, 128), "uint8", (scale, zero_point)),
                   RawTensor((2, 128), "float32")]
        model = raw_tflite(tensors, [RawOp("DEQUANTIZE", (0,), (1,))], [0], [1])
        check_samples(model, tmp_path / str(k), [[ramp], [ramp[::-1].copy()]])
