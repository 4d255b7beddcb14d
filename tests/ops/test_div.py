"""DIV float32 against TFLM (rtol 1e-5): same shapes, broadcast, fused RELU and RELU6."""

from __future__ import annotations

import numpy as np

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model
from tests.ops.kernel_harness import compare_with_tflm, set_fused_activation

SAME = [[2, 131], [2, 131]]
BROADCAST = [[2, 3, 44], [1, 44]]
RELU6 = 3  # tflite.ActivationFunctionType.RELU6


def test_float_matches_tflm(tf, tflm, tmp_path):
    relu = float_model(lambda a, b: tf.nn.relu(tf.math.divide(a, b)), SAME)
    relu6 = bytearray(relu)
    set_fused_activation(relu6, 0, RELU6)
    models = [float_model(tf.math.divide, SAME), float_model(tf.math.divide, BROADCAST), relu,
              bytes(relu6)]
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(2), n_samples=4).models == 4


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    model = float_model(lambda a, b: tf.math.divide(a, b) + a, BROADCAST)
    assert compare_compiled_with_tflm([model], tmp_path, np.random.default_rng(9)) > 0


def _int8_div_model(shape_a, shape_b, shape_out, qa, qb, qo, activation: int = 0) -> bytes:
    from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite

    tensors = [RawTensor(shape_a, "int8", qa), RawTensor(shape_b, "int8", qb),
               RawTensor(shape_out, "int8", qo)]
    op = RawOp("DIV", (0, 1), (2,), int_options=("DivOptions", (activation,)))
    return raw_tflite(tensors, [op], [0, 1], [2])


def test_int8_matches_tflm(tflm, tmp_path):
    """Hand-built models with random quantizations (the divisor kept off its zero point:
    TFLM divides by zero there), same shapes and broadcast, with and without RELU6."""
    from tests.ops.layout_harness import check_samples

    rng = np.random.default_rng(11)
    shapes = [((2, 40), (2, 40), (2, 40)), ((2, 3, 8), (1, 8), (2, 3, 8)), ((4, 1), (1, 5), (4, 5))]
    for k in range(9):
        sa, sb, so = shapes[k % 3]
        qa, qb, qo = ((float(10 ** rng.uniform(-3, 0)), int(rng.integers(-20, 20)))
                      for _ in range(3))
        model = _int8_div_model(sa, sb, so, qa, qb, qo, activation=RELU6 if k % 4 == 3 else 0)
        a = rng.integers(-128, 128, size=sa).astype(np.int8)
        b = rng.integers(-128, 128, size=sb).astype(np.int8)
        b[b == qb[1]] = np.int8(qb[1] + 1)
        check_samples(model, tmp_path / f"m{k}", [[a, b]])
