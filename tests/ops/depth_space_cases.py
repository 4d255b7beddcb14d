"""DEPTH_TO_SPACE / SPACE_TO_DEPTH test models (converter-built, float32 or int8)."""

from __future__ import annotations

import numpy as np

from tests.ops.tflite_build import build_tflite


def depth_space_model(seed: int, mode: str, op: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(9970 + seed)
    bs = int(rng.integers(2, 4))
    n, h, w, c = (int(rng.integers(1, 3)), int(rng.integers(1, 4)), int(rng.integers(1, 4)),
                  int(rng.integers(1, 4)))
    if op == "DEPTH_TO_SPACE":
        shape = [n, h, w, c * bs * bs]

        def fn(x):
            return tf.nn.depth_to_space(x, bs)
    else:
        shape = [n, h * bs, w * bs, c]

        def fn(x):
            return tf.nn.space_to_depth(x, bs)

    return build_tflite(fn, [shape], mode, seed=seed)
