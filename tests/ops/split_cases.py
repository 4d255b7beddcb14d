"""SPLIT / SPLIT_V test models: converter-built float32/int8 ones, hand-built int16/int32 ones."""

from __future__ import annotations

import numpy as np

from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite
from tests.ops.tflite_build import build_tflite


def draw(seed: int, even: bool) -> tuple[list[int], int, list[int]]:
    rng = np.random.default_rng(9500 + seed + (0 if even else 500))
    rank = int(rng.integers(1, 5))
    shape = [int(rng.integers(1, 5)) for _ in range(rank)]
    axis = int(rng.integers(0, rank))
    if even:
        n = int(rng.integers(2, 4))
        shape[axis] *= n
        return shape, axis, [shape[axis] // n] * n
    sizes = [int(rng.integers(1, 4)) for _ in range(int(rng.integers(2, 4)))]
    shape[axis] = sum(sizes)
    return shape, axis, sizes


def converted_model(seed: int, mode: str, op: str) -> bytes:
    import tensorflow as tf

    shape, axis, sizes = draw(seed, op == "SPLIT")

    def fn(x):
        return tf.split(x, len(sizes) if op == "SPLIT" else sizes, axis=axis)

    return build_tflite(fn, [shape], mode, seed=seed)


def raw_model(seed: int, dtype: str, op: str) -> bytes:
    shape, axis, sizes = draw(seed, op == "SPLIT")
    quant = (0.01, 0) if dtype in ("int8", "int16") else None
    tensors = [RawTensor(tuple(shape), dtype, quant),
               RawTensor((1,), "int32", data=np.array([axis], np.int32)),
               RawTensor((len(sizes),), "int32", data=np.array(sizes, np.int32))]
    outs = []
    for size in sizes:
        piece = list(shape)
        piece[axis] = size
        outs.append(len(tensors))
        tensors.append(RawTensor(tuple(piece), dtype, quant))
    inputs = (1, 0) if op == "SPLIT" else (0, 2, 1)
    return raw_tflite(tensors, [RawOp(op, inputs, tuple(outs))], [0], outs)


