"""Keras LSTM models converted by the TFLite converter, as a user's would be: the Keras 2 API
(tf_keras), whose LSTM the converter fuses into UNIDIRECTIONAL_SEQUENCE_LSTM (Keras 3's
becomes a WHILE loop). float32 and int8 (int16 cell state), batch-major and time-major."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEED = 3


@dataclass(frozen=True)
class LstmCase:
    name: str
    input_shape: tuple[int, ...]  # with the batch (or, time-major, the time) dimension
    time_major: bool = False
    stacked: bool = False
    head: bool = True  # a Dense classifier on the last step


CASES = (
    LstmCase("classifier", (1, 10, 4)),  # LSTM(8) -> Dense(3), the common Keras model
    LstmCase("stacked_batch2", (2, 6, 3), stacked=True, head=False),
    LstmCase("time_major", (5, 2, 4), time_major=True, head=False),
)


def build_lstm(case: LstmCase, dtype: str) -> tuple[bytes, np.ndarray]:
    """(.tflite bytes, float inputs: 24 samples of the model's input shape)."""
    import tensorflow as tf
    import tf_keras as keras

    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng(SEED)
    first, *rest = case.input_shape
    layers: list = [keras.Input(tuple(rest), batch_size=first)]
    if case.stacked:
        layers += [keras.layers.LSTM(6, return_sequences=True),
                   keras.layers.LSTM(5, return_sequences=True)]
    else:
        layers.append(keras.layers.LSTM(8 if case.head else 6, time_major=case.time_major,
                                        return_sequences=not case.head))
    if case.head:
        layers.append(keras.layers.Dense(3))
    model = keras.Sequential(layers)
    samples = rng.normal(0.0, 1.0, (24, *case.input_shape)).astype(np.float32)
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if dtype == "int8":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: ([s] for s in samples)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert(), samples


def quantized(samples: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    return np.clip(np.round(samples / scale) + zero_point, -128, 127).astype(np.int8)
