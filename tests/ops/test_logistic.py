"""LOGISTIC: the compile-time table (gemmlowp fixed point) equals TFLM for every int8 input."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.ops.logistic import q4_function_table
from tests.ops.elementwise_cases import (
    compare_compiled_with_tflm,
    float_model,
    int8_variants,
)
from tests.ops.kernel_harness import compare_with_tflm

SHAPE = [2, 131]  # 262 values: the first sample covers all 256 inputs


def test_int8_matches_tflm_exhaustively(tf, tflm, tmp_path):
    models = int8_variants(tf.math.sigmoid, [SHAPE], n=16, seed=41, randomize="inputs",
                           log10_scale=(-3.0, 0.5))
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(0), n_samples=2).models == 16


def test_int8_one_element(tf, tflm, tmp_path):
    models = int8_variants(tf.math.sigmoid, [[1, 1]], n=2, seed=42, randomize="inputs")
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(1)).models == 2


def test_table_is_close_to_the_real_function():
    scale, zero_point = 0.05, 3
    table = q4_function_table(scale, zero_point, "logistic").astype(np.int64)
    real = 1.0 / (1.0 + np.exp(-(np.arange(-128, 128) - zero_point) * scale))
    np.testing.assert_allclose((table + 128) / 256.0, real, atol=1.5 / 256)
    assert np.all(np.diff(table) >= 0)


def test_float_matches_tflm(tf, tflm, tmp_path):
    model = float_model(tf.math.sigmoid, [[3, 67]])
    assert compare_with_tflm([model], tmp_path, np.random.default_rng(2), n_samples=6).models == 1


@pytest.mark.slow
def test_int8_sweep(tf, tflm, tmp_path):
    models = int8_variants(tf.math.sigmoid, [SHAPE], n=200, seed=43, randomize="inputs",
                           log10_scale=(-4.0, 1.0))
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(3), n_samples=1)
    assert result.models + result.skipped == 200


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(tf.math.sigmoid, [SHAPE], n=3, seed=45, randomize="inputs") + [
        float_model(tf.math.sigmoid, [[3, 67]])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0


def test_compiled_in_place_over_an_arena_input(tf, tflm, tmp_path):
    """With graph inputs in the arena, the output overwrites the input: one buffer."""
    import microforge

    model = int8_variants(tf.math.sigmoid, [SHAPE], n=1, seed=46, input_range=(-6.0, 6.0))[0]
    compiled = microforge.compile(model, tmp_path / "inplace", inplace_input=True)
    assert compiled.arena_size < 2 * SHAPE[0] * SHAPE[1]
    assert compare_compiled_with_tflm([model], tmp_path / "cmp", np.random.default_rng(4),
                                      inplace_input=True) > 0


# int16 (16x8): hand-built models, every int16 input, TFLM's power-of-two and general scalings
INT16_SCALES = {
    "LOGISTIC": [2.0 ** -12, 2.0 ** -11, 1.0 / 6144.0, 3.1e-4, 2.7e-5, 1.1e-3],
    "TANH": [2.0 ** -12, 2.0 ** -11, 2.0 ** -14, 1.0 / 6144.0, 3.1e-4, 2.7e-5],
}


@pytest.mark.parametrize(("op_type", "in_scale"),
                         [(op, s) for op, scales in INT16_SCALES.items() for s in scales])
def test_int16_matches_tflm_on_every_input(tflm, tmp_path, op_type: str, in_scale: float):
    from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

    n = 1 << 16
    tensors = [RawTensor((n,), "int16", (in_scale, 0)), RawTensor((n,), "int16", (2.0**-15, 0))]
    model = raw_tflite(tensors, [RawOp(op_type, (0,), (1,))], [0], [1])
    check_samples(model, tmp_path, [[np.arange(-32768, 32768, dtype=np.int16)]])


def test_int16_needs_tflms_output_scale(tflm) -> None:
    from microforge.codegen.compiler import unsupported_ops
    from microforge.ir.tflite_reader import read_tflite
    from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite

    tensors = [RawTensor((4,), "int16", (2.0**-12, 0)), RawTensor((4,), "int16", (2.0**-14, 0))]
    graph = read_tflite(raw_tflite(tensors, [RawOp("LOGISTIC", (0,), (1,))], [0], [1]))
    assert unsupported_ops(graph) == [
        "LOGISTIC (operator 0, int16): int16 output scale 6.10352e-05 (TFLM requires 2^-15)"]
