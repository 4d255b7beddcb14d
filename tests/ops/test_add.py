"""ADD: prepare + add_sub_s8 / binary_f32 kernels, bit-exact with TFLM on random parameters."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.ir.tflite_reader import read_tflite
from microforge.runners.tflm import run_tflm
from tests.ops.elementwise_cases import (
    compare_compiled_with_tflm,
    float_model,
    int8_variants,
    op_tensors,
)
from tests.ops.kernel_harness import compare_with_tflm, set_fused_activation, set_quantization
from tests.ops.tflite_build import build_tflite

ACTIVATIONS = {
    "NONE": lambda v: v,
    "RELU": lambda v: __import__("tensorflow").nn.relu(v),
    "RELU6": lambda v: __import__("tensorflow").nn.relu6(v),
}
SHAPES = [
    ([2, 3, 5], [2, 3, 5]),        # same shape: one flat loop
    ([1, 4, 1, 3], [2, 1, 5, 1]),  # both inputs broadcast
    ([1, 1], [7]),                 # 1x1 against a vector, odd size
    ([3, 1, 7], [1]),              # scalar-like second input
]


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_int8_matches_tflm_on_random_quantization(activation, tf, tflm, tmp_path):
    act = ACTIVATIONS[activation]
    models = int8_variants(lambda a, b: act(a + b), SHAPES[1], n=12, seed=1)
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(0))
    assert result.models == 12 and result.values > 0


@pytest.mark.parametrize("shapes", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_int8_broadcast_shapes(shapes, tf, tflm, tmp_path):
    models = int8_variants(lambda a, b: a + b, shapes, n=4, seed=2)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(1)).models == 4


def test_int8_relu_n1_to_1(tf, tflm, tmp_path):
    """The converter never fuses RELU_N1_TO_1 here: patch the activation of ADD+RELU models."""
    models = []
    for model in int8_variants(lambda a, b: tf.nn.relu(a + b), SHAPES[0], n=6, seed=4):
        edited = bytearray(model)
        set_fused_activation(edited, 0, 2)  # ActivationFunctionType.RELU_N1_TO_1
        models.append(bytes(edited))
    options = read_tflite(models[0]).operators[0].options
    assert options["fused_activation_function"] == "RELU_N1_TO_1"
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(5)).models == 6


def test_int8_constant_operand(tf, tflm, tmp_path):
    const = np.linspace(-0.5, 0.5, 5, dtype=np.float32)
    models = int8_variants(lambda a: a + const, [[3, 5]], n=4, seed=3)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(2)).models == 4


@pytest.mark.parametrize("shapes", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_float_matches_tflm(shapes, tf, tflm, tmp_path):
    model = float_model(lambda a, b: tf.nn.relu6(a + b), shapes)
    assert compare_with_tflm([model], tmp_path, np.random.default_rng(3)).invocations == 4


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
def test_int8_sweep(seed, tf, tflm, tmp_path):
    rng = np.random.default_rng(seed)
    rank = int(rng.integers(1, 5))
    a = [int(v) for v in rng.integers(1, 6, rank)]
    b = [d if rng.random() < 0.5 else 1 for d in a][int(rng.integers(0, rank)):]
    models = int8_variants(lambda x, y: x + y, [a, b or [1]], n=40, seed=seed)
    assert compare_with_tflm(models, tmp_path, rng).models == 40


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(lambda a, b: tf.nn.relu(a + b), [[1, 4, 1, 3], [2, 1, 5, 1]], n=3,
                           seed=5) + [
        float_model(lambda a, b: a + b, [[3, 1, 7], [1]])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0


def test_relu6_clamp_uses_tflite_float32_rounding(tf, tflm, tmp_path):
    """Output scale 6/50.5 in float32: 6/scale is 50.49999... in double but 50.5 in float, so
    TFLite's RELU6 clamp is zp + 51 (float division); a double division would give zp + 50."""
    model = bytearray(build_tflite(lambda a, b: tf.nn.relu6(a + b), [[4, 64], [4, 64]], "int8"))
    inputs, outputs = op_tensors(bytes(model))
    for t in inputs:
        set_quantization(model, t, 0.05, 0)
    set_quantization(model, outputs[0], 0.11881188303232193, -128)
    rng = np.random.default_rng(6)
    assert compare_with_tflm([bytes(model)], tmp_path, rng).models == 1
    high = np.full((4, 64), 127, np.int8)
    assert int(run_tflm(bytes(model), [high, high])[0].max()) == -128 + 51


@pytest.mark.parametrize("name", ["pretrainedResnet_quant.tflite", "pretrainedResnet.tflite"])
def test_real_resnet8_with_residual_adds_matches_tflm(name, shared_data, tflm, tmp_path):
    """MLPerf Tiny ResNet-8 (three residual ADDs), compiled end to end."""
    model = (shared_data / "models" / "mlperf_ic" / name).read_bytes()
    graph = read_tflite(model)
    assert [op.op_type for op in graph.operators].count("ADD") == 3
    assert compare_compiled_with_tflm([model], tmp_path, np.random.default_rng(8)) > 0


# int16 activations (16x8): converter-built models with random int16 scales
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("shapes", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_int16_matches_tflm(activation, shapes, tf, tflm, tmp_path):
    from tests.ops.elementwise_cases import int16_variants

    act = ACTIVATIONS[activation]
    models = int16_variants(lambda a, b: act(a + b), shapes, n=6, seed=21)
    graph = read_tflite(models[0])
    assert [t.dtype for t in graph.tensors if t.index in graph.operators[0].inputs] == \
        ["int16", "int16"]
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(6))
    assert result.models + result.skipped == 6 and result.models >= 4


def test_int16_compiled_matches_tflm(tf, tflm, tmp_path):
    from tests.ops.elementwise_cases import int16_variants

    models = int16_variants(lambda a, b: a + b, SHAPES[1], n=3, seed=22)
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(7)) > 0
