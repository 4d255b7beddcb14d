"""Small models of one architecture with other trained values, for the blob-mode tests."""

from __future__ import annotations

import functools

import numpy as np

from tests.ops.tflite_build import build_tflite


@functools.cache  # built once per test process (the TFLite converter is slow)
def ds_cnn(seed: int, channels: int = 8, mode: str = "int8") -> bytes:
    """A small DS-CNN (conv, depthwise, 1x1 conv, average pool, FC, softmax), its weights
    drawn with `seed` and calibrated on data of that seed: a retraining of one architecture."""
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    w1 = tf.constant(rng.normal(0, 0.4, (3, 3, 1, channels)).astype(np.float32))
    b1 = tf.constant(rng.normal(0, 0.1, (channels,)).astype(np.float32))
    wd = tf.constant(rng.normal(0, 0.4, (3, 3, channels, 1)).astype(np.float32))
    w2 = tf.constant(rng.normal(0, 0.3, (1, 1, channels, channels)).astype(np.float32))
    wf = tf.constant(rng.normal(0, 0.3, (channels, 5)).astype(np.float32))
    bf = tf.constant(rng.normal(0, 0.1, (5,)).astype(np.float32))

    def fn(x):
        y = tf.nn.relu(tf.nn.conv2d(x, w1, 2, "SAME") + b1)
        y = tf.nn.relu(tf.nn.depthwise_conv2d(y, wd, [1, 1, 1, 1], "SAME"))
        y = tf.nn.relu(tf.nn.conv2d(y, w2, 1, "SAME"))
        y = tf.nn.avg_pool2d(y, (5, 4), 1, "VALID")
        y = tf.reshape(y, (1, channels))
        return tf.nn.softmax(tf.matmul(y, wf) + bf)

    return build_tflite(fn, [(1, 10, 8, 1)], mode, seed=seed,
                        input_range=(-1.0 - seed, 1.0 + 0.5 * seed))
