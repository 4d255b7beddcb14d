"""QUANTIZE float32 -> int8 and int8 -> int8 (requantize), DEQUANTIZE int8 -> float32.

float -> int8 -> float models (QUANTIZE, RELU, DEQUANTIZE, as the converter makes them with
float I/O) run op by op through the harness and must equal TFLM exactly, floats included.
int8 -> int8 QUANTIZE models are made by turning a converted RELU's opcode into QUANTIZE.
"""

from __future__ import annotations

import numpy as np
import pytest

from microforge.ir.tflite_reader import read_tflite
from microforge.runners.tflm import run_tflm
from tests.ops.elementwise_cases import int8_variants
from tests.ops.kernel_harness import (
    compare_with_tflm,
    random_quantization,
    run_graph,
    set_builtin_opcode,
)

QUANTIZE, RELU = 114, 19


def float_io_model(tf, fn, shape, seed: int = 0) -> bytes:
    """Full-integer model with float32 input and output (QUANTIZE ... DEQUANTIZE)."""
    concrete = tf.function(fn, autograph=False).get_concrete_function(
        tf.TensorSpec(shape, tf.float32))
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete])
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    rng = np.random.default_rng(seed)
    converter.representative_dataset = lambda: (
        [rng.uniform(-2, 2, shape).astype(np.float32)] for _ in range(16))
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    return converter.convert()


def float_inputs(scale: float, zero_point: int, shape, rng) -> np.ndarray:
    n = int(np.prod(shape))
    ties = (rng.integers(-140, 140, n) + 0.5 - zero_point) * scale  # near rounding ties
    wide = rng.standard_normal(n) * 300 * scale  # saturates both ends
    return np.where(rng.random(n) < 0.5, ties, wide).astype(np.float32).reshape(shape)


def test_float_int8_float_chain_is_exact(tf, tflm, tmp_path):
    base = float_io_model(tf, tf.nn.relu, [3, 47])
    graph = read_tflite(base)
    assert [op.op_type for op in graph.operators] == ["QUANTIZE", "RELU", "DEQUANTIZE"]
    relu = graph.operators[1]
    rng = np.random.default_rng(5)
    for k in range(6):
        model = base if k == 0 else random_quantization(
            base, rng, [relu.inputs[0], relu.outputs[0]], (-3.0, 0.5))
        g = read_tflite(model)
        q = g.tensors[g.operators[0].outputs[0]]
        x = float_inputs(q.scale, q.zero_point, [3, 47], rng)
        expected = run_tflm(model, [x])[0]
        got = run_graph(g, tmp_path / f"chain{k}", [x])[0]
        np.testing.assert_array_equal(got, expected)


def requantize_models(seed: int, n: int) -> list[bytes]:
    models = []
    for model in int8_variants(lambda x: __import__("tensorflow").nn.relu(x), [[2, 131]], n=n,
                               seed=seed):
        edited = bytearray(model)
        graph = read_tflite(model)
        assert graph.operators[0].op_type == "RELU"
        set_builtin_opcode(edited, 0, QUANTIZE)
        models.append(bytes(edited))
    return models


def test_int8_requantize_matches_tflm(tf, tflm, tmp_path):
    models = requantize_models(seed=101, n=16)
    assert read_tflite(models[0]).operators[0].op_type == "QUANTIZE"
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(0), n_samples=2).models == 16


@pytest.mark.slow
def test_int8_requantize_sweep(tf, tflm, tmp_path):
    models = requantize_models(seed=102, n=200)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(1), n_samples=1).models == 200


def test_compiled_models_match_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile: float I/O chain and int8 requantize."""
    import microforge

    model = float_io_model(tf, tf.nn.relu, [3, 47], seed=3)
    compiled = microforge.compile(model, tmp_path / "chain")
    rng = np.random.default_rng(4)
    q = read_tflite(model).tensors[read_tflite(model).operators[0].outputs[0]]
    for _ in range(3):
        x = float_inputs(q.scale, q.zero_point, [3, 47], rng)
        np.testing.assert_array_equal(compiled.run([x])[0], run_tflm(model, [x])[0])
    from tests.ops.elementwise_cases import compare_compiled_with_tflm

    assert compare_compiled_with_tflm(requantize_models(seed=103, n=2), tmp_path / "rq", rng) > 0


# int16 (16x8): hand-built QUANTIZE models, through the harness and microforge.compile vs TFLM
INT16_RAMP = np.arange(-32768, 32768, dtype=np.int16)


def _quantize_model(in_dtype: str, in_quant, out_dtype: str, out_quant, n: int) -> bytes:
    from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite

    tensors = [RawTensor((n,), in_dtype, in_quant), RawTensor((n,), out_dtype, out_quant)]
    return raw_tflite(tensors, [RawOp("QUANTIZE", (0,), (1,))], [0], [1])


@pytest.mark.parametrize(("scale", "zero_point"), [(2.0**-15, 0), (3.7e-4, 0), (0.0123, 0),
                                                   (1.9e-3, 17)])
def test_float_to_int16_matches_tflm(tflm, tmp_path, scale: float, zero_point: int):
    from tests.ops.layout_harness import check_samples

    rng = np.random.default_rng(7)
    n = 4096
    ties = ((rng.integers(-33000, 33000, n) + 0.5 - zero_point) * scale).astype(np.float32)
    wide = (rng.standard_normal(n) * 40000 * scale).astype(np.float32)
    model = _quantize_model("float32", None, "int16", (scale, zero_point), n)
    check_samples(model, tmp_path, [[ties], [wide]])


@pytest.mark.parametrize(("in_scale", "out_dtype", "out_scale", "out_zp"), [
    (2.0**-12, "int16", 2.0**-15, 0),   # widening: saturates
    (3.1e-4, "int16", 7.7e-4, 0),
    (1.0e-3, "int16", 1.0e-3, 0),
    (2.0**-15, "int8", 1.0 / 256, -128),
    (4.4e-4, "int8", 0.05, 3),
    (1.7e-2, "int8", 1.2e-3, -7),       # beyond int8: saturates both ends
])
def test_int16_requantize_matches_tflm_on_every_input(tflm, tmp_path, in_scale: float,
                                                      out_dtype: str, out_scale: float,
                                                      out_zp: int):
    from tests.ops.layout_harness import check_samples

    model = _quantize_model("int16", (in_scale, 0), out_dtype, (out_scale, out_zp),
                            INT16_RAMP.size)
    check_samples(model, tmp_path, [[INT16_RAMP]])


@pytest.mark.parametrize(("in_scale", "in_zp", "out_scale"), [
    (0.02, -3, 2.0**-15), (0.0039, 127, 1.3e-4), (0.5, 0, 2.0**-10)])
def test_int8_to_int16_matches_tflm_on_every_input(tflm, tmp_path, in_scale: float, in_zp: int,
                                                   out_scale: float):
    from tests.ops.layout_harness import check_samples

    ramp = np.arange(-128, 128, dtype=np.int8)
    model = _quantize_model("int8", (in_scale, in_zp), "int16", (out_scale, 0), ramp.size)
    check_samples(model, tmp_path, [[ramp]])


def test_int16_to_int32_is_refused_with_a_reason(tflm):
    from microforge.codegen.compiler import unsupported_ops

    graph = read_tflite(_quantize_model("int16", (1e-3, 0), "int32", (1e-6, 0), 4))
    assert unsupported_ops(graph) == [
        "QUANTIZE (operator 0, int32): dtypes ('int16', 'int32') not implemented "
        "(float32 -> int8/int16, int8/int16 -> int8/int16 only)"]
