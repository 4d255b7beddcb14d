"""The float32 elementwise math ops (ABS, NEG, SQUARE, SQRT, RSQRT, EXP, LOG, SIN, COS, FLOOR,
CEIL, ROUND) against TFLM: rtol 1e-5 (the same <math.h> float functions; NaN where TFLM gives NaN)."""

from __future__ import annotations

import numpy as np

from microforge.ir.tflite_reader import read_tflite
from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model
from tests.ops.kernel_harness import compare_with_tflm

SHAPE = [3, 67]


def functions(tf):
    return {"ABS": tf.math.abs, "NEG": tf.math.negative, "SQUARE": tf.math.square,
            "SQRT": tf.math.sqrt, "RSQRT": tf.math.rsqrt, "EXP": tf.math.exp,
            "LOG": tf.math.log, "SIN": tf.math.sin, "COS": tf.math.cos,
            "FLOOR": tf.math.floor, "CEIL": tf.math.ceil, "ROUND": tf.math.round}


def test_each_model_is_the_op(tf):
    for name, fn in functions(tf).items():
        graph = read_tflite(float_model(fn, [SHAPE]))
        assert [o.op_type for o in graph.operators] == [name]


def test_float_matches_tflm(tf, tflm, tmp_path):
    models = [float_model(fn, [SHAPE]) for fn in functions(tf).values()]
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(5), n_samples=4)
    assert result.models == len(models)


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile: the op chained with others."""
    def chain(x):
        return tf.math.cos(tf.math.sqrt(tf.math.square(tf.math.negative(x)) + 1.0))

    model = float_model(chain, [SHAPE])
    assert compare_compiled_with_tflm([model], tmp_path, np.random.default_rng(6)) > 0
