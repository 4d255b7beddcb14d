"""The same architectures as the ONNX test models, built in Keras and quantized by
microforge's own path (`train.quantize.quantize_int8`): the baseline the ONNX import is
compared with in docs/benchmarks.md (random weights: sizes and instructions only)."""

from __future__ import annotations

from collections.abc import Callable


def _relu6(keras):
    return keras.layers.ReLU(max_value=6.0)


def mlp(keras):
    x = keras.Input((16,))
    return keras.Model(x, keras.layers.Dense(4)(keras.layers.Dense(32, activation="relu")(x)))


def cnn1d_imu(keras):
    L = keras.layers
    x = keras.Input((32, 3))
    h = _relu6(keras)(L.BatchNormalization()(L.Conv1D(8, 5, padding="same")(x)))
    h = L.Conv1D(12, 3, padding="same", activation="relu")(L.MaxPooling1D(2)(h))
    return keras.Model(x, L.Dense(4)(L.GlobalAveragePooling1D()(h)))


def dscnn(keras):
    L = keras.layers
    x = keras.Input((16, 10, 1))
    h = L.ReLU()(L.BatchNormalization()(L.Conv2D(8, 3, strides=2, padding="same")(x)))
    h = L.ReLU()(L.BatchNormalization()(L.DepthwiseConv2D(3, padding="same")(h)))
    h = L.AveragePooling2D((2, 1))(L.Conv2D(12, 1, activation="relu")(h))
    return keras.Model(x, L.Dense(4)(L.Flatten()(h)))


def residual(keras):
    L = keras.layers
    x = keras.Input((8, 8, 4))
    stem = L.Conv2D(8, 3, padding="same", activation="relu")(x)
    h = L.ReLU()(L.BatchNormalization()(L.Conv2D(8, 3, padding="same")(stem)))
    h = L.BatchNormalization()(L.Conv2D(8, 3, padding="same")(h))
    h = L.ReLU()(L.Add()([h, stem]))
    return keras.Model(x, L.Dense(4)(L.GlobalAveragePooling2D()(h)))


def hardswish(keras):
    L = keras.layers
    x = keras.Input((8, 8, 2))
    h = L.Conv2D(6, 3, padding="same")(x)
    h = L.Activation(keras.activations.hard_silu)(h)
    return keras.Model(x, L.Dense(4)(L.Flatten()(L.MaxPooling2D(2)(h))))


TWINS: dict[str, Callable] = {"mlp": mlp, "cnn1d_imu": cnn1d_imu, "dscnn": dscnn,
                              "residual": residual, "hardswish": hardswish}
