"""MUL: prepare + mul_s8 / binary_f32 kernels, bit-exact with TFLM on random parameters."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import (
    compare_compiled_with_tflm,
    float_model,
    int8_variants,
)
from tests.ops.kernel_harness import compare_with_tflm


def test_int8_matches_tflm_on_random_quantization(tf, tflm, tmp_path):
    models = int8_variants(lambda a, b: a * b, [[2, 3, 5], [2, 3, 5]], n=16, seed=21)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(0)).models == 16


def test_int8_broadcast_with_relu6(tf, tflm, tmp_path):
    models = int8_variants(lambda a, b: tf.nn.relu6(a * b), [[1, 4, 1, 3], [2, 1, 5, 1]], n=8,
                           seed=22, input_range=(-4.0, 4.0))
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(1)).models == 8


def test_int8_square_of_one_tensor(tf, tflm, tmp_path):
    """Both inputs are the same tensor (x * x), output in place over it."""
    models = int8_variants(lambda a: a * a, [[5, 7]], n=4, seed=23)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(2)).models == 4


def test_float_matches_tflm(tf, tflm, tmp_path):
    model = float_model(lambda a, b: a * b, [[3, 1, 7], [1, 4, 1]])
    assert compare_with_tflm([model], tmp_path, np.random.default_rng(3)).invocations == 4


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_int8_sweep(seed, tf, tflm, tmp_path):
    models = int8_variants(lambda a, b: a * b, [[4, 1, 3], [1, 6, 3]], n=50, seed=seed)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(seed)).models == 50


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(lambda a, b: a * b, [[2, 3, 5], [5]], n=3, seed=25) + [
        float_model(lambda a, b: a * b, [[2, 3, 5], [3, 1]])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0


def test_compiled_in_place_broadcast(tf, tflm, tmp_path):
    """int8 MUL with graph inputs in the arena: the output reuses the full-shape input."""
    import microforge

    model = int8_variants(lambda a, b: a * b, [[4, 32], [32]], n=1, seed=26)[0]
    compiled = microforge.compile(model, tmp_path / "inplace", inplace_input=True)
    assert compiled.arena_size < 2 * 4 * 32 + 32
    assert compare_compiled_with_tflm([model], tmp_path / "cmp", np.random.default_rng(4),
                                      inplace_input=True) > 0


@pytest.mark.parametrize("shapes", [([2, 3, 5], [2, 3, 5]), ([1, 4, 1, 3], [2, 1, 5, 1]),
                                    ([3, 1, 7], [1])], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("relu", [False, True])
def test_int16_matches_tflm(shapes, relu: bool, tf, tflm, tmp_path):
    """16x8 MUL (zero points 0), converter-built, random int16 scales."""
    from tests.ops.elementwise_cases import int16_variants

    act = tf.nn.relu if relu else (lambda v: v)
    models = int16_variants(lambda a, b: act(a * b), shapes, n=8, seed=41)
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(9))
    assert result.models == 8


def test_int16_nonzero_zero_point_is_refused(tflm):
    from microforge.codegen.compiler import unsupported_ops
    from microforge.ir.tflite_reader import read_tflite
    from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite

    tensors = [RawTensor((4,), "int16", (1e-3, 0)), RawTensor((4,), "int16", (1e-3, 3)),
               RawTensor((4,), "int16", (1e-3, 0))]
    graph = read_tflite(raw_tflite(tensors, [RawOp("MUL", (0, 1), (2,))], [0, 1], [2]))
    assert unsupported_ops(graph) == [
        "MUL (operator 0, int16): int16 input 2 zero point 3 (TFLM requires 0)"]
