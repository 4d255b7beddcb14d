"""Post-training quantization with the TFLite converter, and predictions through TFLM.

`quantize_int8` makes a full-integer model (int8 input and output, per-channel int8 weights,
int32 biases) calibrated on a seeded sample of representative inputs. `predict_int8` runs any
int8 or float .tflite through the TFLM interpreter, one interpreter for the whole batch.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np

from microforge.errors import DataError, ModelError
from microforge.runners.tflm import io_counts, run_tflm, tflm_interpreter


def quantize_int8(
    model, representative_x: np.ndarray, n_samples: int = 200, seed: int = 0
) -> bytes:
    """Full-integer int8 .tflite of a Keras model, calibrated on `n_samples` inputs."""
    import tensorflow as tf

    x = np.asarray(representative_x, dtype=np.float32)
    if x.ndim < 2 or len(x) == 0:
        raise DataError("quantization needs a non-empty batch of representative inputs")
    if not np.all(np.isfinite(x)):
        raise DataError("representative inputs contain NaN or infinity")
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(x), size=min(n_samples, len(x)), replace=False)

    def representative():
        for i in chosen:
            yield [x[i : i + 1]]

    converter = _converter(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    return _convert(converter, "int8")


def convert_float(model) -> bytes:
    """Float32 .tflite of a Keras model (no optimization)."""
    return _convert(_converter(model), "float")


def _converter(model):
    """A converter for the model wrapped at batch size 1: reshapes get static shapes (no SHAPE,
    STRIDED_SLICE, PACK ops), as on the device. The weights are shared, not copied."""
    import keras
    import tensorflow as tf

    inputs = keras.Input(shape=model.input_shape[1:], batch_size=1, name="input")
    fixed = keras.Model(inputs, model(inputs, training=False), name=f"{model.name}_batch1")
    return tf.lite.TFLiteConverter.from_keras_model(fixed)


def _convert(converter, kind: str) -> bytes:
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")  # "Statistics for quantized inputs were expected"
            return bytes(converter.convert())
    except Exception as exc:  # the converter raises many types; all mean "cannot convert"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"the TFLite converter cannot make a {kind} model: {first}") from exc


def predict_int8(model_bytes: bytes, x_float: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(float32 scores of shape (N, outputs), argmax labels) for float inputs, run in TFLM.

    int8 models: inputs are quantized with the model's input scale/zero point and outputs
    dequantized. Float models run as they are. Works for any .tflite with one input/output.
    """
    model_bytes = bytes(model_bytes)
    if io_counts(model_bytes) != (1, 1):
        n_in, n_out = io_counts(model_bytes)
        raise ModelError(f"predict needs a model with 1 input and 1 output, not {n_in} and {n_out}")
    interp = tflm_interpreter(model_bytes)
    inp = interp.get_input_details(0)
    out = interp.get_output_details(0)
    shape = tuple(int(d) for d in inp["shape"])
    x = np.asarray(x_float, dtype=np.float32)
    per_sample = int(np.prod(shape))
    if x.ndim == 0 or len(x) == 0 or x[0].size != per_sample:
        raise DataError(f"inputs of shape {x.shape[1:]} do not match the model input {list(shape)}")
    to_model = _quantizer(inp)
    from_model = _dequantizer(out)
    scores = []
    for sample in x:
        (result,) = run_tflm(model_bytes, [to_model(sample.reshape(shape))], interp)
        scores.append(from_model(result).reshape(-1))
    scores_arr = np.stack(scores).astype(np.float32)
    return scores_arr, np.argmax(scores_arr, axis=-1)


def predict_float(model_bytes: bytes, x_float: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Same as `predict_int8`, named for float .tflite models."""
    return predict_int8(model_bytes, x_float)


def _scale_zero_point(details: dict) -> tuple[float, int]:
    q = details.get("quantization_parameters") or {}
    scales = np.asarray(q.get("scales", []), dtype=np.float64).reshape(-1)
    zeros = np.asarray(q.get("zero_points", []), dtype=np.int64).reshape(-1)
    if scales.size != 1:
        raise ModelError("the model's int8 input/output is not per-tensor quantized")
    return float(scales[0]), int(zeros[0]) if zeros.size else 0


def _quantizer(details: dict):
    dtype = np.dtype(details["dtype"])
    if dtype == np.float32:
        return lambda v: v.astype(np.float32)
    if dtype not in (np.int8, np.uint8, np.int16):
        raise ModelError(f"model input type {dtype} is not supported (int8 or float32)")
    scale, zero = _scale_zero_point(details)
    info = np.iinfo(dtype)
    return lambda v: np.clip(np.round(v / scale) + zero, info.min, info.max).astype(dtype)


def _dequantizer(details: dict):
    dtype = np.dtype(details["dtype"])
    if dtype == np.float32:
        return lambda v: np.asarray(v, dtype=np.float32)
    scale, zero = _scale_zero_point(details)
    return lambda v: ((np.asarray(v, dtype=np.float32) - zero) * scale).astype(np.float32)
