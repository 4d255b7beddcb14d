"""Streaming models with resource variables, as the TFLite converter writes them from a
tf.Module that keeps state in tf.Variables (experimental_enable_resource_variables): CALL_ONCE
runs an init subgraph that assigns the variables' initial values, then VAR_HANDLE /
READ_VARIABLE / ASSIGN_VARIABLE at every invoke."""

from __future__ import annotations

import numpy as np


def streaming_model(quantize: bool = False, seed: int = 0) -> bytes:
    """An exponential moving average of the input and a running window of the last 3 inputs,
    two variables, a dense output."""
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    weights = rng.normal(0, 0.5, (4 * 4, 3)).astype(np.float32)

    class Streaming(tf.Module):
        def __init__(self) -> None:
            self.average = tf.Variable(tf.fill([1, 4], 0.25))
            self.window = tf.Variable(tf.zeros([1, 12]))

        @tf.function(input_signature=[tf.TensorSpec([1, 4], tf.float32)])
        def __call__(self, x):
            self.average.assign(self.average * 0.75 + x * 0.25)
            self.window.assign(tf.concat([self.window[:, 4:], x], axis=1))
            features = tf.concat([self.average, self.window], axis=1)
            return tf.matmul(features, weights)

    module = Streaming()
    converter = tf.lite.TFLiteConverter.from_concrete_functions(
        [module.__call__.get_concrete_function()], module)
    converter.experimental_enable_resource_variables = True
    if quantize:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: (
            [rng.normal(0, 1, (1, 4)).astype(np.float32)] for _ in range(32))
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert()
