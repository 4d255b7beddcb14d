"""SQUARED_DIFFERENCE: int8 bit-exact with TFLM (same shapes and broadcast), float32 within
rtol 1e-5."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model, int8_variants
from tests.ops.kernel_harness import compare_with_tflm

SAME = [[2, 131], [2, 131]]
BROADCAST = [[2, 3, 44], [1, 44]]


def fn(tf):
    return tf.math.squared_difference


def test_int8_matches_tflm(tf, tflm, tmp_path):
    models = (int8_variants(fn(tf), SAME, n=8, seed=91, log10_scale=(-3.0, 0.5))
              + int8_variants(fn(tf), BROADCAST, n=8, seed=92, log10_scale=(-3.0, 0.5)))
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(0), n_samples=3).models == 16


def test_float_matches_tflm(tf, tflm, tmp_path):
    models = [float_model(fn(tf), SAME), float_model(fn(tf), BROADCAST)]
    assert compare_with_tflm(models, tmp_path, np.random.default_rng(2), n_samples=4).models == 2


@pytest.mark.slow
def test_int8_sweep(tf, tflm, tmp_path):
    models = int8_variants(fn(tf), SAME, n=150, seed=93, log10_scale=(-4.0, 1.0))
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(3), n_samples=1)
    assert result.models + result.skipped == 150 and result.models > 0


def test_compiled_model_matches_tflm(tf, tflm, tmp_path):
    """End to end through microforge.compile (codegen, memory plan, host build)."""
    models = int8_variants(fn(tf), BROADCAST, n=3, seed=94) + [float_model(fn(tf), BROADCAST)]
    assert compare_compiled_with_tflm(models, tmp_path, np.random.default_rng(9)) > 0


def raw_binary(dtype: str, shapes, quant=(None, None, None)) -> bytes:
    from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite

    out = tuple(np.broadcast_shapes(*shapes))
    tensors = [RawTensor(tuple(shapes[0]), dtype, quant[0]),
               RawTensor(tuple(shapes[1]), dtype, quant[1]), RawTensor(out, dtype, quant[2])]
    return raw_tflite(tensors, [RawOp("SQUARED_DIFFERENCE", (0, 1), (2,))], [0, 1], [2])


@pytest.mark.parametrize("shapes", [((64, 256), (64, 256)), ((4, 16, 256), (16, 1))])
def test_int16_matches_tflm(tflm, tmp_path, shapes):
    """int16 (TFLM: left shift 0, zero points 0), hand-built with random scales, full-range
    random inputs, both layers bit-exact."""
    from tests.ops.layout_harness import check_samples
    from tests.ops.tflite_build import random_inputs

    rng = np.random.default_rng(93)
    for k in range(5):
        scales = [float(10 ** rng.uniform(-5, -2)) for _ in range(3)]
        if k == 0:
            scales[1] = scales[0]
        model = raw_binary("int16", shapes, tuple((s, 0) for s in scales))
        check_samples(model, tmp_path / str(k), random_inputs(model, 3, seed=k))


@pytest.mark.parametrize("shapes", [((3, 7), (3, 7)), ((2, 1, 5), (3, 1))])
def test_int32_wraps_like_tflm(tflm, tmp_path, shapes):
    """int32: (a - b)^2 on raw values, modulo 2^32 at the extremes, as TFLM's int32 path."""
    from tests.ops.comparison_cases import raw_samples
    from tests.ops.layout_harness import check_samples
    from tests.ops.tflite_build import random_inputs

    model = raw_binary("int32", shapes)
    samples = raw_samples("int32", seed=5, shapes=shapes) + random_inputs(model, 2, seed=6)
    small = [[(x % 40000 - 20000).astype(np.int32) for x in s] for s in samples[-2:]]
    check_samples(model, tmp_path, samples + small)
