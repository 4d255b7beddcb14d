"""REDUCE_MAX / REDUCE_MIN test models: converter-built float32/int8 ones (random axes and
keep_dims), a hand-built float32 one with NaN."""

from __future__ import annotations

import numpy as np

from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite
from tests.ops.tflite_build import build_tflite


def reduce_model(seed: int, mode: str, op: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(9950 + seed)
    rank = int(rng.integers(1, 5))
    shape = [int(rng.integers(1, 6)) for _ in range(rank)]
    n_axes = int(rng.integers(1, rank + 1))
    axes = sorted(int(a) for a in rng.choice(rank, n_axes, replace=False))
    for a in axes:  # a reduction over unit axes only is folded away by the converter
        shape[a] = max(shape[a], 2)
    axes = [a - rank if rng.random() < 0.3 else a for a in axes]
    keepdims = bool(rng.random() < 0.5)
    fn_tf = tf.reduce_max if op == "REDUCE_MAX" else tf.reduce_min

    def fn(x):
        return fn_tf(x, axis=axes, keepdims=keepdims)

    return build_tflite(fn, [shape], mode, seed=seed)


def nan_model(op: str) -> tuple[bytes, list[list[np.ndarray]]]:
    """[3, 4] float32 reduced over axis 1, with NaN in places."""
    tensors = [RawTensor((3, 4), "float32"),
               RawTensor((1,), "int32", data=np.array([1], np.int32)), RawTensor((3,), "float32")]
    model = raw_tflite(tensors, [RawOp(op, (0, 1), (2,))], [0], [2])
    x = np.array([[np.nan, 1, 2, 3], [4, np.nan, -5, 6], [7, 8, 9, np.nan]], np.float32)
    return model, [[x], [-x]]
