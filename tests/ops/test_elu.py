"""ELU: the int8 table equals TFLM's for every input value; float32 within rtol 1e-5.

The converter keeps ELU in float (DEQUANTIZE/ELU/QUANTIZE), so the int8 models are int8 ABS
models with the opcode changed to ELU (same operands, no options)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import (
    compare_compiled_with_tflm,
    float_model,
    int8_variants,
)
from tests.ops.kernel_harness import compare_with_tflm, set_builtin_opcode

SHAPE = [2, 131]  # the first sample covers all 256 inputs
ELU = 111  # tflite.BuiltinOperator.ELU


def elu_int8_variants(tf, n: int, seed: int, **kwargs) -> list[bytes]:
    models = []
    for model in int8_variants(tf.math.abs, [SHAPE], n=n, seed=seed, **kwargs):
        edited = bytearray(model)
        set_builtin_opcode(edited, 0, ELU)
        models.append(bytes(edited))
    return models


def test_int8_matches_tflm_exhaustively(tf, tflm, tmp_path):
    models = elu_int8_variants(tf, n=16, seed=71, input_range=(-4.0, 2.0),
                           log10_scale=(-3.0, 0.5))
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(0), n_samples=2)
    assert result.models >= 14


def test_float_matches_tflm(tf, tflm, tmp_path):
    model = float_model(tf.nn.elu, [[3, 67]])
    assert compare_with_tflm([model], tmp_path, np.random.default_rng(2), n_samples=6).models == 1


@pytest.mark.slow
def test_int8_sweep(tf, tflm, tmp_path):
    models = elu_int8_variants(tf, n=150, seed=73, log10_scale=(-4.0, 1.0))
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(3), n_samples=1)
    assert result.models + result.skipped == 150 and result.models > 100


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = elu_int8_variants(tf, n=3, seed=75, input_range=(-4.0, 2.0)) + [
        float_model(tf.nn.elu, [[3, 67]])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0
