"""Keras 3 building blocks of quantization-aware training: BatchNorm folding, fake quantization
of weights (per output channel) and activations (per tensor, calibrated range)."""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from microforge.errors import ModelError

KERNEL_LAYERS = (keras.layers.Conv2D, keras.layers.DepthwiseConv2D, keras.layers.Dense)


def layer_chain(model) -> list:
    """The layers of a single-path functional model in order, the input layer excluded."""
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    previous = model.inputs[0] if len(model.inputs) == 1 else None
    for layer in layers:
        nodes = getattr(layer, "_inbound_nodes", [])
        if previous is None or len(nodes) != 1 or layer.input is not previous:
            raise ModelError(
                f"quantization-aware training supports single-path models (one input, each layer "
                f"feeding the next); layer {layer.name!r} breaks the chain"
            )
        previous = layer.output
    return layers


def fold_batchnorm(model):
    """A copy of `model` where each BatchNormalization that follows a conv/dense layer without
    activation is folded into that layer's kernel and bias (weights copied, not shared)."""
    layers = layer_chain(model)
    inputs = keras.Input(shape=model.input_shape[1:], name=model.inputs[0].name.split(":")[0])
    x, i = inputs, 0
    while i < len(layers):
        layer = layers[i]
        nxt = layers[i + 1] if i + 1 < len(layers) else None
        config = layer.get_config()
        weights = layer.get_weights()
        if (
            isinstance(layer, KERNEL_LAYERS)
            and isinstance(nxt, keras.layers.BatchNormalization)
            and config.get("activation") == "linear"
        ):
            weights = _folded(layer, nxt)
            config = {**config, "use_bias": True}
            i += 1
        clone = type(layer).from_config(config)
        x = clone(x)
        clone.set_weights(weights)
        i += 1
    return keras.Model(inputs, x, name=model.name)


def _folded(layer, bn) -> list[np.ndarray]:
    axis = bn.axis if isinstance(bn.axis, int) else list(bn.axis)[0]
    if len(np.atleast_1d(bn.axis)) != 1 or axis not in (-1, len(layer.output.shape) - 1):
        raise ModelError(f"cannot fold {bn.name!r}: it does not normalize the channel axis")
    kernel = np.asarray(layer.kernel)
    bias = np.asarray(layer.bias) if layer.use_bias else 0.0
    gamma = np.asarray(bn.gamma) if bn.scale else 1.0
    beta = np.asarray(bn.beta) if bn.center else 0.0
    factor = gamma / np.sqrt(np.asarray(bn.moving_variance) + bn.epsilon)
    out_shape = _channel_shape(layer, kernel)
    kernel = kernel * np.reshape(factor, out_shape)
    bias = (bias - np.asarray(bn.moving_mean)) * factor + beta
    return [kernel.astype(np.float32), np.asarray(bias, dtype=np.float32)]


def _channel_shape(layer, kernel: np.ndarray) -> tuple[int, ...]:
    """Shape that broadcasts a per-output-channel vector over `kernel`."""
    if isinstance(layer, keras.layers.DepthwiseConv2D):
        return (1, 1, kernel.shape[2], kernel.shape[3])  # channel = input x multiplier
    return (1,) * (kernel.ndim - 1) + (kernel.shape[-1],)


def fake_quant_weights(kernel, depthwise: bool):
    """Symmetric per-channel int8 rounding ([-127, 127]) with a straight-through gradient."""
    axes = (0, 1) if depthwise else tuple(range(len(kernel.shape) - 1))
    step = ops.maximum(ops.max(ops.abs(kernel), axis=axes, keepdims=True), 1e-12) / 127.0
    rounded = ops.clip(ops.round(kernel / step), -127.0, 127.0) * step
    return kernel + ops.stop_gradient(rounded - kernel)


def fake_quant_activations(x, low, high):
    """Asymmetric int8 rounding over [low, high] (nudged to hold 0, as TFLite does); gradient 1
    inside the range, 0 outside."""
    low = ops.minimum(ops.stop_gradient(low), 0.0)
    high = ops.maximum(ops.stop_gradient(high), low + 1e-6)
    high = ops.maximum(high, 0.0)
    scale = (high - low) / 255.0
    zero_point = ops.clip(ops.round(-128.0 - low / scale), -128.0, 127.0)
    lo = (-128.0 - zero_point) * scale
    hi = (127.0 - zero_point) * scale
    clipped = ops.clip(x, lo, hi)
    rounded = (ops.round(clipped / scale + zero_point) - zero_point) * scale
    return clipped + ops.stop_gradient(rounded - clipped)


@keras.saving.register_keras_serializable(package="microforge")
class ActivationFakeQuant(keras.layers.Layer):
    """Per-tensor int8 fake quantization over a range set by calibration: while `calibrating`
    is 1 the layer passes values through and takes the batch min/max as its range (as the
    TFLite converter calibrates the float model), otherwise it rounds with that fixed range."""

    def build(self, input_shape):
        self.range_min = self.add_weight(shape=(), initializer="zeros", trainable=False)
        self.range_max = self.add_weight(shape=(), initializer="zeros", trainable=False)
        self.calibrating = self.add_weight(shape=(), initializer="zeros", trainable=False)

    def call(self, x):
        calibrating = ops.greater(self.calibrating, 0.5)
        low = ops.where(calibrating, ops.min(x), self.range_min)
        high = ops.where(calibrating, ops.max(x), self.range_max)
        self.range_min.assign(low)
        self.range_max.assign(high)
        return ops.where(calibrating, x, fake_quant_activations(x, low, high))


def calibrate(model, x_rep: np.ndarray) -> None:
    """Set every ActivationFakeQuant range of `model` to the float min/max over `x_rep`."""
    quantizers = [layer for layer in model.layers if isinstance(layer, ActivationFakeQuant)]
    for layer in quantizers:
        layer.calibrating.assign(1.0)
    model(x_rep, training=False)
    for layer in quantizers:
        layer.calibrating.assign(0.0)


class FakeQuantKernel(keras.layers.Layer):
    """Runs a built Conv2D/DepthwiseConv2D/Dense with its kernel fake-quantized, sharing the
    layer's variables. A softmax activation is left to the caller (the logits are rounded)."""

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        if isinstance(layer, keras.layers.Conv2D) and getattr(layer, "groups", 1) != 1:
            raise ModelError(f"layer {layer.name!r}: grouped convolutions are not supported")
        self.inner = layer
        self.activation_name = keras.activations.serialize(layer.activation)
        if isinstance(self.activation_name, dict):
            self.activation_name = self.activation_name.get("config", {}).get("name", "custom")

    def call(self, x):
        layer = self.inner
        depthwise = isinstance(layer, keras.layers.DepthwiseConv2D)
        kernel = fake_quant_weights(layer.kernel, depthwise)
        if isinstance(layer, keras.layers.Dense):
            y = ops.matmul(x, kernel)
        elif depthwise:
            y = ops.depthwise_conv(
                x, kernel, layer.strides, layer.padding, layer.data_format, layer.dilation_rate
            )
        else:
            y = ops.conv(
                x, kernel, layer.strides, layer.padding, layer.data_format, layer.dilation_rate
            )
        if layer.use_bias:
            y = y + layer.bias
        return y if self.activation_name == "softmax" else layer.activation(y)

    def compute_output_shape(self, input_shape):
        return self.inner.compute_output_shape(input_shape)
