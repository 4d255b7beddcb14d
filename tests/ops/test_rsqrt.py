"""RSQRT int8: the compile-time table equals TFLM for every input TFLM accepts (x >= the input
zero point; TFLM fails Invoke below it); float32 is in test_math_unary_common.py."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.ir.graph import Graph
from microforge.ir.tflite_reader import read_tflite
from tests.ops.elementwise_cases import int8_variants
from tests.ops.kernel_harness import build_op_library

SHAPE = [1, 256]


def valid_inputs(model: bytes) -> tuple[Graph, np.ndarray]:
    """The graph and an input of every int8 value >= the zero point (padded by repeating)."""
    graph = read_tflite(model)
    zero_point = graph.tensors[graph.operators[0].inputs[0]].zero_point
    values = np.arange(max(zero_point, -128), 128)
    return graph, np.resize(values, SHAPE).astype(np.int8)


def check_against_tflm(models: list[bytes], out_dir) -> int:
    from microforge.runners.tflm import run_tflm

    cases = [valid_inputs(m) for m in models]
    library = build_op_library([(g, g.operators[0]) for g, _ in cases], out_dir)
    compared = 0
    for k, (model, (_, x)) in enumerate(zip(models, cases, strict=True)):
        expected = run_tflm(model, [x])[0]
        for inplace in (False, True):
            np.testing.assert_array_equal(library.run(k, [x], inplace=inplace)[0], expected,
                                          err_msg=f"case {k} in-place={inplace}")
        compared += expected.size
    return compared


def rsqrt_variants(tf, n: int, seed: int, log10_scale=(-3.0, 0.5)) -> list[bytes]:
    return int8_variants(tf.math.rsqrt, [SHAPE], n=n, seed=seed, input_range=(0.05, 4.0),
                         log10_scale=log10_scale)


def test_model_is_rsqrt_int8(tf):
    graph = read_tflite(rsqrt_variants(tf, 1, 60)[0])
    assert [o.op_type for o in graph.operators] == ["RSQRT"]
    assert graph.tensors[graph.operators[0].inputs[0]].dtype == "int8"


def test_int8_matches_tflm(tf, tflm, tmp_path):
    assert check_against_tflm(rsqrt_variants(tf, 16, 61), tmp_path) > 0


@pytest.mark.slow
def test_int8_sweep(tf, tflm, tmp_path):
    assert check_against_tflm(rsqrt_variants(tf, 150, 62, (-5.0, 1.0)), tmp_path) > 0


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    import microforge
    from microforge.runners.tflm import run_tflm

    for k, model in enumerate(rsqrt_variants(tf, 3, 63)):
        _, x = valid_inputs(model)
        compiled = microforge.compile(model, tmp_path / f"m{k}")
        np.testing.assert_array_equal(compiled.run([x])[0], run_tflm(model, [x])[0])


def test_float_matches_tflm(tf, tflm, tmp_path):
    from tests.ops.math_unary_cases import check_float_op

    assert check_float_op(tf.math.rsqrt, "RSQRT", tmp_path, np.random.default_rng(4)) > 0
