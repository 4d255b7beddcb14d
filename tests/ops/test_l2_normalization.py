"""L2_NORMALIZATION float32 against TFLM (rtol 1e-5), including an all-zero row (epsilon)."""

from __future__ import annotations

import numpy as np

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model
from tests.ops.kernel_harness import compare_with_tflm


def l2(tf):
    return lambda x: tf.math.l2_normalize(x, axis=-1)


def test_model_is_the_op(tf):
    from microforge.ir.tflite_reader import read_tflite

    graph = read_tflite(float_model(l2(tf), [[3, 67]]))
    assert [o.op_type for o in graph.operators] == ["L2_NORMALIZATION"]


def test_float_matches_tflm(tf, tflm, tmp_path):
    models = [float_model(l2(tf), [shape]) for shape in ([3, 67], [2, 3, 5])]
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(2), n_samples=4)
    assert result.models == 2


def test_zero_row_uses_epsilon(tf, tflm, tmp_path):
    from microforge.ir.tflite_reader import read_tflite
    from microforge.runners.tflm import run_tflm
    from tests.ops.kernel_harness import build_op_library

    model = float_model(l2(tf), [[2, 4]])
    graph = read_tflite(model)
    x = np.array([[0.0, 0.0, 0.0, 0.0], [1e-8, -2e-8, 0.0, 3e-9]], dtype=np.float32)
    got = build_op_library([(graph, graph.operators[0])], tmp_path).run(0, [x])[0]
    np.testing.assert_allclose(got, run_tflm(model, [x])[0], rtol=1e-6, atol=0)


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    model = float_model(lambda x: tf.math.l2_normalize(x * 2.0, axis=-1), [[4, 10]])
    assert compare_compiled_with_tflm([model], tmp_path, np.random.default_rng(9)) > 0
