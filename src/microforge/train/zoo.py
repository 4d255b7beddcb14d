"""Keras model zoo: small classifiers that convert to the TFLM int8 op set.

Every model uses only CONV_2D, DEPTHWISE_CONV_2D, MAX/AVERAGE_POOL_2D, FULLY_CONNECTED, RESHAPE
and SOFTMAX after conversion (BatchNorm folds into the convolution, ReLU fuses into it). 1-D
convolutions are written as (k, 1) 2-D convolutions on a (time, 1, channels) tensor, and the
global average is an AVERAGE_POOL_2D over the whole feature map (not MEAN), so the converter
emits no EXPAND_DIMS or MEAN. TensorFlow is imported inside the functions only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from microforge.errors import ConfigError
from microforge.registry import Registry

# builder(keras, input shape, n_classes, width, dropout) -> keras.Model, by [model] architecture
Builder = Callable[[Any, tuple, int, float, float], Any]
ARCHITECTURES: Registry[Builder] = Registry("model architecture", field="model.architecture",
                                            unknown_label="")


def build_model(
    arch: str,
    input_shape: tuple,
    n_classes: int,
    width: float = 1.0,
    dropout: float = 0.1,
    seed: int = 0,
):
    """A compiled-ready (not compiled) keras.Model for `arch`, softmax over `n_classes`."""
    builder = ARCHITECTURES.get(arch)
    shape = tuple(int(d) for d in input_shape)
    if any(d <= 0 for d in shape):
        raise ConfigError(f"model input shape {shape} has a non-positive dimension")
    if n_classes < 2:
        raise ConfigError(f"a classifier needs at least 2 classes, got {n_classes}")
    if width <= 0:
        raise ConfigError(f"model.width must be > 0, got {width}")
    if not 0 <= dropout < 1:
        raise ConfigError(f"model.dropout must be in [0, 1), got {dropout}")

    import keras

    keras.utils.set_random_seed(seed)
    return builder(keras, shape, n_classes, width, dropout)


def _units(base: int, width: float) -> int:
    return max(4, int(round(base * width)))


def _conv_bn_relu(keras, x, filters: int, kernel, strides=(1, 1), name: str = ""):
    layers = keras.layers
    x = layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False, name=name)(
        x
    )
    x = layers.BatchNormalization(name=f"{name}_bn")(x)
    return layers.ReLU(name=f"{name}_relu")(x)


@ARCHITECTURES.add("dense")
def _dense(keras, shape: tuple, n_classes: int, width: float, dropout: float):
    """MLP for flat feature vectors (any input rank is flattened first)."""
    layers = keras.layers
    inputs = keras.Input(shape=shape, name="features")
    x = layers.Flatten(name="flatten")(inputs) if len(shape) > 1 else inputs
    x = layers.Dense(_units(64, width), activation="relu", name="dense1")(x)
    x = layers.Dropout(dropout, name="dropout1")(x)
    x = layers.Dense(_units(32, width), activation="relu", name="dense2")(x)
    x = layers.Dropout(dropout, name="dropout2")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="dense")


@ARCHITECTURES.add("cnn1d")
def _cnn1d(keras, shape: tuple, n_classes: int, width: float, dropout: float):
    """1-D CNN for (time, channels) windows: 3 conv-bn-relu blocks, pooling, global average."""
    if len(shape) != 2:
        raise ConfigError(f"cnn1d expects windows shaped (time, channels), got {shape}")
    layers = keras.layers
    time, channels = shape
    inputs = keras.Input(shape=shape, name="window")
    x = layers.Reshape((time, 1, channels), name="as_image")(inputs)
    for i, (filters, kernel) in enumerate([(16, 7), (32, 5), (48, 5)], start=1):
        x = _conv_bn_relu(keras, x, _units(filters, width), (min(kernel, time), 1), name=f"conv{i}")
        if x.shape[1] >= 4:
            x = layers.MaxPooling2D((2, 1), name=f"pool{i}")(x)
    x = layers.AveragePooling2D((x.shape[1], 1), name="global_avg")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="cnn1d")


@ARCHITECTURES.add("dscnn")
def _dscnn(keras, shape: tuple, n_classes: int, width: float, dropout: float):
    """DS-CNN for (frames, coeffs) spectrograms, after MLPerf Tiny KWS (4 separable blocks)."""
    if len(shape) == 3 and shape[2] == 1:
        shape = shape[:2]
    if len(shape) != 2:
        raise ConfigError(f"dscnn expects spectrograms shaped (frames, coeffs), got {shape}")
    layers = keras.layers
    frames, coeffs = shape
    filters = _units(64, width)
    inputs = keras.Input(shape=shape, name="spectrogram")
    x = layers.Reshape((frames, coeffs, 1), name="as_image")(inputs)
    stride = (2 if frames >= 8 else 1, 2 if coeffs >= 8 else 1)
    x = _conv_bn_relu(keras, x, filters, (min(10, frames), min(4, coeffs)), stride, name="conv1")
    x = layers.Dropout(dropout, name="dropout1")(x)
    for i in range(1, 5):
        x = layers.DepthwiseConv2D(3, padding="same", use_bias=False, name=f"dw{i}")(x)
        x = layers.BatchNormalization(name=f"dw{i}_bn")(x)
        x = layers.ReLU(name=f"dw{i}_relu")(x)
        x = _conv_bn_relu(keras, x, filters, (1, 1), name=f"pw{i}")
    x = layers.Dropout(dropout, name="dropout2")(x)
    x = layers.AveragePooling2D((x.shape[1], x.shape[2]), name="global_avg")(x)
    x = layers.Flatten(name="flatten")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="dscnn")
