"""FULLY_CONNECTED vs TFLM on generated models (batches, keep_num_dims, bias, activations)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import assert_matches_tflm, op_types


def fc_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(400 + seed)
    batches, n_in, n_out = int(rng.integers(1, 4)), int(rng.integers(1, 40)), int(rng.integers(1, 20))
    act = ["NONE", "RELU", "RELU6"][seed % 3]
    weights = tf.constant(rng.normal(0, 0.4, (n_in, n_out)).astype(np.float32))
    bias = tf.constant(rng.normal(0, 0.2, (n_out,)).astype(np.float32))

    def fn(x):
        y = tf.matmul(x, weights) + bias
        return {"NONE": y, "RELU": tf.nn.relu(y), "RELU6": tf.nn.relu6(y)}[act]

    return build_tflite(fn, [(batches, n_in)], mode, seed=seed)


def fc_keep_dims_model(seed: int, mode: str) -> bytes:
    import keras

    rng = np.random.default_rng(500 + seed)
    layer = keras.layers.Dense(int(rng.integers(2, 10)), activation="relu")
    layer.build((1, 3, 7))
    layer.set_weights([rng.normal(0, 0.4, (7, layer.units)).astype(np.float32),
                       rng.normal(0, 0.1, (layer.units,)).astype(np.float32)])
    return build_tflite(lambda x: layer(x), [(1, 3, 7)], mode, seed=seed)


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fully_connected_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = fc_model(seed, mode)
    assert op_types(model) == ["FULLY_CONNECTED"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)


@pytest.mark.parametrize("mode", ["int8", "float"])
def test_fully_connected_3d_input(tf, tflm, tmp_path: Path, mode: str) -> None:
    model = fc_keep_dims_model(0, mode)
    assert "FULLY_CONNECTED" in op_types(model)
    assert_matches_tflm(model, tmp_path / "op")


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3, 15))
def test_fully_connected_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = fc_model(seed, mode)
    assert op_types(model) == ["FULLY_CONNECTED"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)


def run_litert_reference(model: bytes, sample: list[np.ndarray]) -> list[np.ndarray]:
    """LiteRT with its reference kernels: TFLM has no hybrid kernels, LiteRT is the reference."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    interp = Interpreter(model_content=model,
                         experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    interp.allocate_tensors()
    for detail, value in zip(interp.get_input_details(), sample, strict=True):
        interp.set_tensor(detail["index"], value)
    interp.invoke()
    return [interp.get_tensor(d["index"]).copy() for d in interp.get_output_details()]


def hybrid_model(seed: int) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(800 + seed)
    batches, n_in, n_out = int(rng.integers(1, 4)), int(rng.integers(40, 90)), int(rng.integers(30, 60))
    weights = tf.constant(rng.normal(0, 0.3, (n_in, n_out)).astype(np.float32))
    bias = tf.constant(rng.normal(0, 0.2, (n_out,)).astype(np.float32))
    relu = seed % 2 == 0

    def fn(x):
        y = tf.matmul(x, weights) + bias
        return tf.nn.relu(y) if relu else y

    return build_tflite(fn, [(batches, n_in)], "hybrid", seed=seed)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_hybrid_matches_litert_reference(tf, tmp_path: Path, seed: int) -> None:
    from microforge.runners.host import compile_and_load
    from tests.conftest import require_module
    from tests.ops.tflite_build import random_inputs

    require_module("ai_edge_litert")
    model = hybrid_model(seed)
    graph_ops = op_types(model)
    assert graph_ops == ["FULLY_CONNECTED"]
    compiled = compile_and_load(model, tmp_path / "op", "op")
    samples = random_inputs(model, 30, seed=seed)
    samples.append([np.zeros_like(samples[0][0])])
    for i, sample in enumerate(samples):
        ours, ref = compiled.run(sample)[0], run_litert_reference(model, sample)[0]
        np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-5, err_msg=f"sample {i}")


def per_channel_fc_model(seed: int) -> bytes:
    """int8 FULLY_CONNECTED with per-channel weights (the converter's non-default mode)."""
    import tensorflow as tf

    rng = np.random.default_rng(1000 + seed)
    n_in, n_out = int(rng.integers(4, 40)), int(rng.integers(2, 20))
    w = tf.constant((rng.normal(0, 0.3, (n_in, n_out)) * rng.uniform(0.1, 3, n_out))
                    .astype(np.float32))
    b = tf.constant(rng.normal(0, 0.2, (n_out,)).astype(np.float32))
    fn = tf.function(lambda x: tf.nn.relu(tf.matmul(x, w) + b))
    converter = tf.lite.TFLiteConverter.from_concrete_functions(
        [fn.get_concrete_function(tf.TensorSpec((1, n_in), tf.float32))])
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = lambda: (
        [rng.uniform(-1, 1, (1, n_in)).astype(np.float32)] for _ in range(16))
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    converter._experimental_disable_per_channel_quantization_for_dense_layers = False
    return converter.convert()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fully_connected_per_channel_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    from microforge.ir.tflite_reader import read_tflite

    model = per_channel_fc_model(seed)
    graph = read_tflite(model)
    weights = graph.tensors[graph.operators[0].inputs[1]]
    assert op_types(model) == ["FULLY_CONNECTED"] and weights.quant.per_channel
    assert_matches_tflm(model, tmp_path / "op", n=50, seed=seed)


def test_blocked_weights_layout() -> None:
    from microforge.ops.fully_connected import blocked_weights

    w = np.arange(11 * 3, dtype=np.float32).reshape(11, 3)
    flat = blocked_weights(w, block=4)
    assert flat.size == w.size
    first = flat[:12].reshape(3, 4)  # block 0: [d][j] = w[j][d]
    np.testing.assert_array_equal(first, w[:4].T)
    np.testing.assert_array_equal(flat[12:24].reshape(3, 4), w[4:8].T)
    np.testing.assert_array_equal(flat[24:], w[8:].reshape(-1))  # the rest, row-major


@pytest.mark.parametrize("seed", [23, 26, 27])  # 10, 18 and 8 output units, 1-3 batches
def test_float_blocked_kernel_is_bit_identical(tf, tflm, tmp_path: Path, seed: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """out_depth >= 8 runs mf_fully_connected_f32_blocked: same values, bit for bit, as the
    plain float kernel, and within tolerance of TFLM."""
    from microforge.ops import fully_connected
    from microforge.runners.host import compile_and_load
    from tests.ops.tflite_build import random_inputs

    model = fc_model(seed, "float")
    assert_matches_tflm(model, tmp_path / "op", seed=seed)
    blocked = compile_and_load(model, tmp_path / "blocked", "op")
    monkeypatch.setattr(fully_connected, "FLOAT_BLOCK", 10**9)
    plain = compile_and_load(model, tmp_path / "plain", "op")
    source = (tmp_path / "blocked" / "op.c").read_text()
    out_depth = blocked.info.outputs[0].shape[-1]
    assert out_depth >= 8 and "mf_fully_connected_f32_blocked(&p" in source
    for sample in random_inputs(model, 10, seed=seed):
        np.testing.assert_array_equal(blocked.run(sample)[0], plain.run(sample)[0])


# int16 activations, int8 weights, int64 bias (16x8): converter-built models
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_fully_connected_16x8_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    from microforge.ir.tflite_reader import read_tflite

    model = fc_model(seed, "16x8")
    graph = read_tflite(model)
    assert op_types(model) == ["FULLY_CONNECTED"]
    op = graph.operators[0]
    assert [graph.tensors[i].dtype for i in op.inputs] == ["int16", "int8", "int64"]
    assert_matches_tflm(model, tmp_path / "op", seed=seed)


def fc_16x8_raw(rng: np.random.Generator, bias_dtype: str | None, activation: int,
                input_zero_point: int = 0, weight_zero_point: int = 0) -> bytes:
    """A hand-built 16x8 FULLY_CONNECTED with per-tensor weights (the converter writes per
    channel) and the given bias type (None: no bias)."""
    from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite

    batches, n_in, n_out = 3, int(rng.integers(1, 300)), int(rng.integers(1, 24))
    in_scale, w_scale = 10.0 ** rng.uniform(-5, -2), 10.0 ** rng.uniform(-3, -1)
    out_scale = in_scale * w_scale * 10.0 ** rng.uniform(2.0, 3.5)
    weights = rng.integers(-127, 128, (n_out, n_in)).astype(np.int8)
    tensors = [RawTensor((batches, n_in), "int16", (in_scale, input_zero_point)),
               RawTensor((n_out, n_in), "int8", (w_scale, weight_zero_point), weights),
               RawTensor((batches, n_out), "int16", (out_scale, 0))]
    inputs: tuple[int, ...] = (0, 1, -1)
    if bias_dtype is not None:
        bias = rng.integers(-2**20, 2**20, n_out).astype(bias_dtype)
        tensors.append(RawTensor((n_out,), bias_dtype, (in_scale * w_scale, 0), bias))
        inputs = (0, 1, 3)
    op = RawOp("FULLY_CONNECTED", inputs, (2,), int_options=("FullyConnectedOptions",
                                                              (activation,)))
    return raw_tflite(tensors, [op], [0], [2])


@pytest.mark.parametrize(("seed", "bias_dtype", "activation", "zero_points"), [
    (0, "int64", 0, (0, 0)), (1, "int64", 1, (0, 0)), (2, "int64", 3, (0, 0)),
    (3, None, 0, (0, 0)), (4, "int32", 0, (0, 0)), (5, "int32", 1, (0, 0)),
    (6, "int64", 0, (-77, 0)), (7, "int64", 0, (0, 5))])
def test_fully_connected_16x8_per_tensor_matches_tflm(tflm, tmp_path: Path, seed: int,
                                                      bias_dtype, activation: int,
                                                      zero_points) -> None:
    """Hand-built: per-tensor weights (TFLM multiplies the scales in float first), int64,
    int32 (TFLM's int32 accumulator) and no bias, RELU/RELU6, input and weight offsets."""
    from tests.ops.layout_harness import check_samples

    rng = np.random.default_rng(800 + seed)
    model = fc_16x8_raw(rng, bias_dtype, activation, *zero_points)
    from microforge.ir.tflite_reader import read_tflite

    x = read_tflite(model).tensors[0]
    samples = [[rng.integers(-32768, 32768, x.shape).astype(np.int16)],
               [(rng.standard_normal(x.shape) * 3000).clip(-32768, 32767).astype(np.int16)],
               [rng.integers(-300, 300, x.shape).astype(np.int16)]]
    check_samples(model, tmp_path, samples)


def test_fully_connected_16x8_per_tensor_uses_the_double_product(tflm, tmp_path: Path) -> None:
    """Per-tensor weights with an int32 bias (TFLM's int32 rescaling, no Q15 reduction) and
    scales whose float32 and double products give different multipliers: over every int16
    input the float32 reading differs from TFLM on some outputs, ours (double) on none."""
    from microforge.ir.tensor import QuantParams, Tensor
    from microforge.ops.fully_connected import multipliers_16x8
    from microforge.ops.quant import quantize_multiplier
    from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite, tflm_reference

    xs, ws, os_ = (float(np.float32(v)) for v in (6.405920721590519e-4, 3.428080352023244e-3,
                                                  5.056379013694823e-4))
    float_rule = quantize_multiplier(float(np.float32(xs) * np.float32(ws)) / os_)

    def tensor(scale: float) -> Tensor:
        return Tensor(0, "t", (1, 1), "int16", QuantParams((scale,), (0,)))

    m, s = multipliers_16x8(tensor(xs), tensor(ws), tensor(os_))
    assert (int(m[0]), int(s[0])) == quantize_multiplier(xs * ws / os_) != float_rule
    x = np.arange(-32768, 32768, dtype=np.int16).reshape(-1, 1)
    tensors = [RawTensor(x.shape, "int16", (xs, 0)),
               RawTensor((1, 1), "int8", (ws, 0), np.array([[127]], np.int8)),
               RawTensor(x.shape, "int16", (os_, 0)),
               RawTensor((1,), "int32", (xs * ws, 0), np.array([3_000_000], np.int32))]
    op = RawOp("FULLY_CONNECTED", (0, 1, 3), (2,), int_options=("FullyConnectedOptions", (0,)))
    model = raw_tflite(tensors, [op], [0], [2])
    check_samples(model, tmp_path, [[x]])  # ours == TFLM on every input
    expected = tflm_reference(model, [[x]])[0][0].reshape(-1)
    acc = x.reshape(-1).astype(np.int64) * 127 + 3_000_000
    positive = acc > 0  # the rounding steps below are for positive values
    m_f, s_f = float_rule
    high = (acc[positive] * m_f + (1 << 30)) >> 31  # SaturatingRoundingDoublingHighMul
    float_out = (high + (1 << (-s_f - 1))) >> -s_f  # RoundingDivideByPOT
    assert np.count_nonzero(float_out != expected[positive]) > 0


def test_fully_connected_16x8_beyond_tflms_int64_rescaling_is_refused(tflm) -> None:
    """in_scale x w_scale / out_scale >= 128 needs shift >= 8, which TFLite's int64
    MultiplyByQuantizedMultiplier does not handle: refused with the reason, before any C."""
    from microforge.codegen.compiler import unsupported_ops
    from microforge.ir.tflite_reader import read_tflite
    from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite

    tensors = [RawTensor((1, 4), "int16", (1.0, 0)),
               RawTensor((2, 4), "int8", (1.0, 0), np.ones((2, 4), np.int8)),
               RawTensor((1, 2), "int16", (1.0 / 512, 0))]
    op = RawOp("FULLY_CONNECTED", (0, 1, -1), (2,), int_options=("FullyConnectedOptions", (0,)))
    graph = read_tflite(raw_tflite(tensors, [op], [0], [2]))
    [reason] = unsupported_ops(graph)
    assert reason.startswith("FULLY_CONNECTED (operator 0, int16): output multiplier shift 10")
