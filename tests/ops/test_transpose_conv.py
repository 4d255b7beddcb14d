"""TRANSPOSE_CONV vs TFLM: Keras Conv2DTranspose (strides 1 and 2, SAME and VALID, with and
without bias, ReLU), float32 (TFLite's order: identical) and int8 with per-channel weights
(bit-exact), compiled and run on the host."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import compare_compiled_with_tflm
from tests.ops.tflite_build import build_tflite

CASES = [  # filters, kernel, strides, padding, bias, activation
    (4, (3, 3), (2, 2), "same", True, None),
    (3, (2, 3), (1, 1), "valid", False, None),
    (5, (3, 3), (2, 1), "valid", True, "relu"),
    (2, (4, 4), (2, 2), "same", True, "relu"),
]


def _layer_fn(filters, kernel, strides, padding, bias, activation):
    import keras

    keras.utils.set_random_seed(filters)
    layer = keras.layers.Conv2DTranspose(filters, kernel, strides=strides, padding=padding,
                                         use_bias=bias, activation=activation,
                                         bias_initializer="random_normal")
    layer.build((1, 5, 6, 3))
    return layer


@pytest.mark.parametrize("mode", ["float", "int8"])
def test_keras_conv2d_transpose_matches_tflm(tf, tflm, tmp_path, mode: str) -> None:
    from microforge.ir.tflite_reader import read_tflite

    models = []
    for case in CASES:
        layer = _layer_fn(*case)
        models.append(build_tflite(lambda x, layer=layer: layer(x), [[1, 5, 6, 3]], mode))
        assert any(op.op_type == "TRANSPOSE_CONV" for op in read_tflite(models[-1]).operators)
    # through the whole compiler (memory plan, scratch); float32 identical (tolerance 0)
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(5), n_samples=3,
                                      rtol=0) > 0


def test_keras_conv2d_transpose_16x8_matches_tflm(tf, tflm, tmp_path) -> None:
    """16x8 (int16 activations, int8 per-channel weights, int64 bias): TFLM's int16
    TransposeConv, compiled model bit-exact, on every geometry case."""
    from microforge.ir.tflite_reader import read_tflite

    models = []
    for case in CASES:
        layer = _layer_fn(*case)
        models.append(build_tflite(lambda x, layer=layer: layer(x), [[1, 5, 6, 3]], "16x8"))
        graph = read_tflite(models[-1])
        conv = [op for op in graph.operators if op.op_type == "TRANSPOSE_CONV"]
        assert conv and graph.tensors[conv[0].inputs[2]].dtype == "int16"
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(6), n_samples=3) > 0
