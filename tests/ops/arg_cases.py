"""ARG_MAX / ARG_MIN test models: converter-built float32/int8 ones, hand-built ones with ties
and NaN."""

from __future__ import annotations

import numpy as np

from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite
from tests.ops.tflite_build import build_tflite


def arg_model(seed: int, mode: str, op: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(9900 + seed)
    shape = [int(rng.integers(1, 6)) for _ in range(int(rng.integers(1, 5)))]
    axis = int(rng.integers(-len(shape), len(shape)))
    fn_tf = tf.math.argmax if op == "ARG_MAX" else tf.math.argmin

    def fn(x):
        return fn_tf(x, axis=axis, output_type=tf.int32)

    return build_tflite(fn, [shape], mode, seed=seed)


def ties_model(op: str, dtype: str) -> tuple[bytes, list[list[np.ndarray]]]:
    """A [4, 6] input reduced over axis 1, with ties (and NaN for float32) and its samples."""
    quant = (0.1, 0) if dtype == "int8" else None
    tensors = [RawTensor((4, 6), dtype, quant),
               RawTensor((1,), "int32", data=np.array([1], np.int32)),
               RawTensor((4,), "int32")]
    model = raw_tflite(tensors, [RawOp(op, (0, 1), (2,))], [0], [2])
    rows = [[3, 1, 3, 0, 3, 1], [0, 0, 0, 0, 0, 0], [-5, 2, -5, 2, 7, -5], [1, 2, 3, 4, 5, 6]]
    x = np.array(rows, dtype=np.float32 if dtype == "float32" else np.int8)
    samples = [[x], [x[::-1].copy()]]
    if dtype == "float32":
        y = x.copy()
        y[0, 0], y[2, 3], y[3, :] = np.nan, np.nan, np.nan
        samples.append([y])
    return model, samples
