"""RELU: int8 requantization to the output scale, bit-exact with TFLM; float32."""

from __future__ import annotations

import numpy as np

from tests.ops.elementwise_cases import (
    compare_compiled_with_tflm,
    float_model,
    int8_variants,
)
from tests.ops.kernel_harness import compare_with_tflm


def test_int8_matches_tflm_exhaustively(tf, tflm, tmp_path):
    models = int8_variants(tf.nn.relu, [[2, 131]], n=16, seed=81)
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(0), n_samples=2).models == 16


def test_float_matches_tflm(tf, tflm, tmp_path):
    model = float_model(tf.nn.relu, [[3, 5]])
    assert compare_with_tflm([model], tmp_path, np.random.default_rng(2), n_samples=6).models == 1


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(tf.nn.relu, [[2, 131]], n=3, seed=85) + [
        float_model(tf.nn.relu, [[3, 67]])]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0


def test_int16_every_value_matches_tflm(tflm, tmp_path):
    """int16 RELU (TFLM's ReluQuantized<int16_t>, zero points 0): every int16 value, random
    input / output scales, both layers bit-exact."""
    from tests.ops.int16_unary_cases import check_every_value, random_scales, unary_int16_model

    for k, (s_in, s_out) in enumerate(random_scales(np.random.default_rng(86), 6)):
        check_every_value(unary_int16_model("RELU", (s_in, 0), (s_out, 0)), tmp_path / str(k))


def test_int16_from_the_16x8_converter_matches_tflm(tf, tflm, tmp_path):
    from tests.ops.layout_harness import check_both_layers
    from tests.ops.tflite_build import build_tflite
    from tests.ops.tflm_compare import op_types

    model = build_tflite(tf.nn.relu, [[3, 97]], "16x8", seed=1)
    assert op_types(model) == ["RELU"]
    check_both_layers(model, tmp_path)


def test_int16_nonzero_zero_point_is_refused():
    from microforge.ir.tflite_reader import read_tflite
    from microforge.ops.base import get_op
    from tests.ops.int16_unary_cases import unary_int16_model

    graph = read_tflite(unary_int16_model("RELU", (0.01, 3), (0.01, 0)))
    opdef = get_op("RELU")
    assert opdef is not None
    assert "zero point" in (opdef.unsupported_reason(graph.operators[0], graph) or "")
