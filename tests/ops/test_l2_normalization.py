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


def _int8_model(shape: tuple[int, ...], in_q: tuple[float, int]) -> bytes:
    """Hand-built (the converter leaves L2_NORMALIZATION in float between DEQUANTIZE and
    QUANTIZE); the output declared at TFLite's 1/128, zero point 0."""
    from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite

    tensors = [RawTensor(shape, "int8", in_q), RawTensor(shape, "int8", (1 / 128, 0))]
    return raw_tflite(tensors, [RawOp("L2_NORMALIZATION", (0,), (1,))], [0], [1])


def test_int8_matches_tflm(tflm, tmp_path):
    """Rows with every sum-of-squares range TFLite's inverse square root handles: zero and
    one (the special case), small, and the largest, with several zero points."""
    from tests.ops.layout_harness import check_samples

    rng = np.random.default_rng(3)
    for k, (shape, zp) in enumerate([((5, 16), 0), ((3, 2, 40), -7), ((4, 300), 100)]):
        rows = rng.integers(-128, 128, size=shape).astype(np.int8)
        flat = rows.reshape(-1, shape[-1])
        flat[0] = zp                        # a zero row: sum 0
        flat[1] = zp
        flat[1, 0] = zp + 1                 # sum 1
        flat[2] = np.clip(zp + rng.integers(-2, 3, shape[-1]), -128, 127)  # small sums
        samples = [[rows], [rng.integers(-128, 128, size=shape).astype(np.int8)]]
        check_samples(_int8_model(shape, (0.05, zp)), tmp_path / f"m{k}", samples)
