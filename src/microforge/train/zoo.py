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

# builder(keras, input shape, n_classes, width, dropout[, depth]) -> keras.Model, by [model]
# architecture
Builder = Callable[..., Any]
ARCHITECTURES: Registry[Builder] = Registry("model architecture", field="model.architecture",
                                            unknown_label="")


def build_model(
    arch: str,
    input_shape: tuple,
    n_classes: int,
    width: float = 1.0,
    dropout: float = 0.1,
    seed: int = 0,
    depth: int | None = None,
):
    """A compiled-ready (not compiled) keras.Model for `arch`, softmax over `n_classes`.

    `depth` (None: the architecture's own) is the number of hidden blocks of the architectures
    in DEPTHS: dense layers, cnn1d convolution blocks, dscnn separable blocks."""
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

    extra = {}
    if depth is not None:
        if arch not in DEPTHS:
            raise ConfigError(f"model.depth: {arch} has a fixed depth; remove model.depth "
                              f"(it applies to {', '.join(DEPTHS)})")
        low, high = DEPTHS[arch]
        if not low <= depth <= high:
            raise ConfigError(f"model.depth: {arch} takes {low}..{high} blocks, got {depth}")
        extra["depth"] = depth

    import keras

    keras.utils.set_random_seed(seed)
    return builder(keras, shape, n_classes, width, dropout, **extra)


# the architectures whose depth is a parameter: (fewest, most) hidden blocks
DEPTHS = {"dense": (1, 4), "cnn1d": (1, 5), "dscnn": (1, 6)}
# cnn1d's blocks: (filters at width 1, kernel); the first `depth` are used (3 by default)
CNN1D_BLOCKS = ((16, 7), (32, 5), (48, 5), (64, 3), (64, 3))


def _units(base: int, width: float) -> int:
    return max(4, int(round(base * width)))


def _conv_bn_relu(keras, x, filters: int, kernel, strides=(1, 1), name: str = "",
                  momentum: float = 0.99):
    layers = keras.layers
    x = layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False, name=name)(
        x
    )
    x = layers.BatchNormalization(momentum=momentum, name=f"{name}_bn")(x)
    return layers.ReLU(name=f"{name}_relu")(x)


@ARCHITECTURES.add("dense")
def _dense(keras, shape: tuple, n_classes: int, width: float, dropout: float,
           depth: int = 2):
    """MLP for flat feature vectors (any input rank is flattened first): `depth` hidden
    layers of 64, 32, 32, ... units at width 1."""
    layers = keras.layers
    inputs = keras.Input(shape=shape, name="features")
    x = layers.Flatten(name="flatten")(inputs) if len(shape) > 1 else inputs
    for i in range(1, depth + 1):
        x = layers.Dense(_units(64 if i == 1 else 32, width), activation="relu",
                         name=f"dense{i}")(x)
        x = layers.Dropout(dropout, name=f"dropout{i}")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="dense")


@ARCHITECTURES.add("cnn1d")
def _cnn1d(keras, shape: tuple, n_classes: int, width: float, dropout: float,
           depth: int = 3):
    """1-D CNN for (time, channels) windows: `depth` conv-bn-relu blocks (CNN1D_BLOCKS),
    pooling, global average."""
    if len(shape) != 2:
        raise ConfigError(f"cnn1d expects windows shaped (time, channels), got {shape}")
    layers = keras.layers
    time, channels = shape
    inputs = keras.Input(shape=shape, name="window")
    x = layers.Reshape((time, 1, channels), name="as_image")(inputs)
    for i, (filters, kernel) in enumerate(CNN1D_BLOCKS[:depth], start=1):
        x = _conv_bn_relu(keras, x, _units(filters, width), (min(kernel, time), 1), name=f"conv{i}")
        if x.shape[1] >= 4:
            x = layers.MaxPooling2D((2, 1), name=f"pool{i}")(x)
    x = layers.AveragePooling2D((x.shape[1], 1), name="global_avg")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="cnn1d")


@ARCHITECTURES.add("dscnn")
def _dscnn(keras, shape: tuple, n_classes: int, width: float, dropout: float,
           depth: int = 4):
    """DS-CNN for (frames, coeffs) spectrograms, after MLPerf Tiny KWS (`depth` separable
    blocks, 4 by default)."""
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
    for i in range(1, depth + 1):
        x = layers.DepthwiseConv2D(3, padding="same", use_bias=False, name=f"dw{i}")(x)
        x = layers.BatchNormalization(name=f"dw{i}_bn")(x)
        x = layers.ReLU(name=f"dw{i}_relu")(x)
        x = _conv_bn_relu(keras, x, filters, (1, 1), name=f"pw{i}")
    x = layers.Dropout(dropout, name="dropout2")(x)
    x = layers.AveragePooling2D((x.shape[1], x.shape[2]), name="global_avg")(x)
    x = layers.Flatten(name="flatten")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="dscnn")


# BatchNorm momentum of the vision models: image datasets are often a few hundred images, and
# at Keras' 0.99 the moving statistics are still far from the data after a few hundred steps
# (train loss near 0, test accuracy at chance)
VISION_BN_MOMENTUM = 0.9


def _separable(keras, x, filters: int, stride: int, name: str):
    """MobileNet-v1 block: depthwise 3x3 (stride) -> BN -> ReLU -> pointwise 1x1 -> BN -> ReLU."""
    layers = keras.layers
    x = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False,
                               name=f"{name}_dw")(x)
    x = layers.BatchNormalization(momentum=VISION_BN_MOMENTUM, name=f"{name}_dw_bn")(x)
    x = layers.ReLU(name=f"{name}_dw_relu")(x)
    return _conv_bn_relu(keras, x, filters, (1, 1), name=f"{name}_pw",
                         momentum=VISION_BN_MOMENTUM)


def _image_shape(shape: tuple, arch: str) -> tuple[int, int, int]:
    if len(shape) != 3 or shape[2] not in (1, 3):
        raise ConfigError(f"{arch} expects images shaped (height, width, 1 or 3); got {shape}; "
                          'use [dsp] block = "image"')
    return shape


# MobileNet-v1's first five blocks after the first convolution: (filters at width 1, stride);
# they reach 1/16 of the input (6x6 at 96x96), enough for a microcontroller's small inputs.
MOBILENET_BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1))


@ARCHITECTURES.add("mobilenet")
def _mobilenet(keras, shape: tuple, n_classes: int, width: float, dropout: float):
    """MobileNet-v1-style classifier for (height, width, channels) images: a 3x3 stride-2
    convolution, depthwise-separable blocks (width multiplier `width`; a stride becomes 1
    once the map is smaller than 4x4), global average pooling, softmax."""
    height, wide, _ = _image_shape(shape, "mobilenet")
    layers = keras.layers
    inputs = keras.Input(shape=shape, name="image")
    stride = 2 if min(height, wide) >= 8 else 1
    x = _conv_bn_relu(keras, inputs, _units(32, width), (3, 3), (stride, stride), name="conv1",
                      momentum=VISION_BN_MOMENTUM)
    for i, (filters, s) in enumerate(MOBILENET_BLOCKS, start=1):
        if s == 2 and min(x.shape[1], x.shape[2]) < 4:
            s = 1
        x = _separable(keras, x, _units(filters, width), s, name=f"block{i}")
    x = layers.AveragePooling2D((x.shape[1], x.shape[2]), name="global_avg")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="scores")(x)
    return keras.Model(inputs, outputs, name="mobilenet")


FOMO_CELL = 8  # input pixels per heatmap cell (1/8 resolution)
# architectures whose output is a per-cell heatmap (objects), not class scores
DETECTORS = frozenset({"fomo"})


@ARCHITECTURES.add("fomo")
def _fomo(keras, shape: tuple, n_classes: int, width: float, dropout: float):
    """FOMO-style centroid detector (after Edge Impulse's FOMO): a MobileNet backbone cut at
    1/8 of the input resolution, then a 1x1 convolution head giving, per cell, the softmax over
    `n_classes` (class 0 is the background). Height and width must be multiples of 8."""
    height, wide, _ = _image_shape(shape, "fomo")
    if height % FOMO_CELL or wide % FOMO_CELL:
        raise ConfigError(f"fomo needs a height and width that are multiples of {FOMO_CELL} "
                          f"(got {height}x{wide}); set dsp.params width/height")
    layers = keras.layers
    inputs = keras.Input(shape=shape, name="image")
    x = _conv_bn_relu(keras, inputs, _units(16, width), (3, 3), (2, 2), name="conv1",
                      momentum=VISION_BN_MOMENTUM)
    x = _separable(keras, x, _units(32, width), 2, name="block1")
    x = _separable(keras, x, _units(64, width), 2, name="block2")
    x = _separable(keras, x, _units(64, width), 1, name="block3")
    x = _conv_bn_relu(keras, x, _units(32, width), (1, 1), name="head",
                      momentum=VISION_BN_MOMENTUM)
    x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Conv2D(n_classes, 1, activation="softmax", name="heatmap")(x)
    return keras.Model(inputs, outputs, name="fomo")
