"""Build small .tflite models from TensorFlow functions, for generated op tests.

Note: dynamic-range ("hybrid") conversion leaves weights under 1024 elements in float;
use larger weights to get a real hybrid op.

`build_tflite(fn, input_specs, mode)` converts a tf.function of float inputs with the TFLite
converter: "float" (float32), "int8" (full-integer PTQ, int8 I/O, per-channel weights by
default), "16x8" (int16 activations and I/O, int8 weights, int64 biases) or "hybrid" (dynamic-range: int8 weights, float activations). The representative data
is seeded random within `input_range`, so the quantization parameters vary with the seed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def build_tflite(
    fn: Callable,
    input_shapes: Sequence[Sequence[int]],
    mode: str = "int8",
    *,
    seed: int = 0,
    input_range: tuple[float, float] = (-1.0, 1.0),
    n_representative: int = 32,
) -> bytes:
    import tensorflow as tf

    specs = [tf.TensorSpec(shape, tf.float32) for shape in input_shapes]
    concrete = tf.function(fn, autograph=False).get_concrete_function(*specs)
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete])
    if mode in ("int8", "hybrid", "16x8"):
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode in ("int8", "16x8"):
        rng = np.random.default_rng(seed)
        lo, hi = input_range

        def representative():
            for _ in range(n_representative):
                yield [rng.uniform(lo, hi, size=s).astype(np.float32) for s in input_shapes]

        converter.representative_dataset = representative
        if mode == "int8":
            converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
            converter.inference_input_type = tf.int8
            converter.inference_output_type = tf.int8
        else:
            converter.target_spec.supported_ops = [
                tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
            converter.inference_input_type = tf.int16
            converter.inference_output_type = tf.int16
    elif mode not in ("float", "hybrid"):
        raise ValueError(f"mode must be float, int8, 16x8 or hybrid, not {mode!r}")
    return converter.convert()


def random_inputs(model: bytes, n: int, seed: int = 0) -> list[list[np.ndarray]]:
    """n sets of random inputs matching the model's input dtypes and shapes (int8: full range)."""
    import tflite

    rng = np.random.default_rng(seed)
    m = tflite.Model.GetRootAsModel(model, 0)
    sg = m.Subgraphs(0)
    specs = []
    for i in range(sg.InputsLength()):
        t = sg.Tensors(sg.Inputs(i))
        specs.append((tuple(t.ShapeAsNumpy()), t.Type()))
    out = []
    for _ in range(n):
        sample = []
        for shape, ttype in specs:
            if ttype == tflite.TensorType.INT8:
                sample.append(rng.integers(-128, 128, size=shape, dtype=np.int8))
            elif ttype == tflite.TensorType.INT16:
                sample.append(rng.integers(-32768, 32768, size=shape, dtype=np.int16))
            elif ttype == tflite.TensorType.INT32:
                sample.append(rng.integers(-2**31, 2**31, size=shape, dtype=np.int32))
            elif ttype == tflite.TensorType.INT64:
                sample.append(rng.integers(-2**63, 2**63, size=shape, dtype=np.int64))
            elif ttype == tflite.TensorType.BOOL:
                sample.append(rng.random(size=shape) < 0.5)
            else:
                sample.append(rng.uniform(-1, 1, size=shape).astype(np.float32))
        out.append(sample)
    return out
