"""Models with IF / WHILE (TFLite control flow v2) from the TensorFlow converter, for the tests
of the inlining (ir/control_flow.py) and the loop / branch operators."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

SHAPE = (1, 4)


def _convert(fn: Callable, shapes: list[tuple[int, ...]], int8: bool = False) -> bytes:
    import tensorflow as tf

    specs = [tf.TensorSpec(s, tf.float32) for s in shapes]
    concrete = tf.function(fn).get_concrete_function(*specs)
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete])
    if int8:
        rng = np.random.default_rng(3)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: (
            [rng.uniform(-3, 3, size=s).astype(np.float32) for s in shapes] for _ in range(32))
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert()


def if_model(int8: bool = False) -> bytes:
    """y = x * 2 + 1 when sum(x) > 0, else x - 3 (an IF with a two-op and a one-op branch)."""
    import tensorflow as tf

    return _convert(lambda x: tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0 + 1.0,
                                      lambda: x - 3.0), [SHAPE], int8)


def while_model() -> bytes:
    """v = v * 1.5 + 0.25 while i < 10 and sum(v) < 100 (an int32 counter and a float state)."""
    import tensorflow as tf

    def fn(x):
        def cond(i, v):
            return tf.logical_and(i < 10, tf.reduce_sum(v) < 100.0)

        def body(i, v):
            return i + 1, v * 1.5 + 0.25

        return tf.while_loop(cond, body, [tf.constant(0), x])[1]

    return _convert(fn, [SHAPE])


def nested_model() -> bytes:
    """An IF inside a WHILE body, and the WHILE inside an IF branch: guards and loops nest."""
    import tensorflow as tf

    def fn(x):
        def loop(v):
            def body(i, v):
                v = tf.cond(tf.reduce_max(v) > 2.0, lambda: v * 0.5, lambda: v + 1.0)
                return i + 1, v

            return tf.while_loop(lambda i, v: i < 5, body, [tf.constant(0), v])[1]

        return tf.cond(tf.reduce_sum(x) > 0, lambda: loop(x), lambda: -x)

    return _convert(fn, [SHAPE])


def keras_recurrent_model(layer: str) -> bytes:
    """A Keras 3 GRU or LSTM (not unrolled: the converter writes a WHILE loop) + Dense."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(5)
    inputs = keras.Input((12, 3), batch_size=1)
    cell = keras.layers.GRU(6) if layer == "gru" else keras.layers.LSTM(6)
    model = keras.Model(inputs, keras.layers.Dense(4)(cell(inputs)))
    return tf.lite.TFLiteConverter.from_keras_model(model).convert()
