"""SOFTMAX vs TFLM: int8 bit-exact over many input scales, float within tolerance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.ops.softmax import softmax_scaling
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import assert_matches_tflm, op_types


def softmax_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(300 + seed)
    shape = [(1, int(rng.integers(2, 40))), (2, 3, int(rng.integers(2, 12)))][seed % 2]
    span = float(rng.choice([0.5, 2.0, 8.0, 30.0]))

    def fn(x):
        return tf.nn.softmax(x)

    return build_tflite(fn, [shape], mode, seed=seed, input_range=(-span, span))


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_softmax_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = softmax_model(seed, mode)
    assert op_types(model) == ["SOFTMAX"]
    assert_matches_tflm(model, tmp_path / "op", n=50, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4, 20))
def test_softmax_int8_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int) -> None:
    model = softmax_model(seed, "int8")
    assert op_types(model) == ["SOFTMAX"]
    assert_matches_tflm(model, tmp_path / "op", n=50, seed=seed)


def test_softmax_scaling_values() -> None:
    # beta * scale * 2^26 = 2^22 exactly: multiplier 2^30, left shift 23, radius floor(31*2^26/2^23)
    multiplier, shift, diff_min = softmax_scaling(1.0, 1.0 / 16)
    assert (multiplier, shift) == (1 << 30, 23)
    assert diff_min == -248


# int16 (16x8): TFLM's SoftmaxInt16 with the exp and 1/(1+x) tables computed at compile time
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_softmax_16x8_matches_tflm(tf, tflm, tmp_path: Path, seed: int) -> None:
    model = softmax_model(seed, "16x8")
    assert op_types(model) == ["SOFTMAX"]
    assert_matches_tflm(model, tmp_path / "op", n=30, seed=seed)


def test_softmax_16x8_random_input_scales(tf, tflm, tmp_path: Path) -> None:
    """The converted model with random int16 input scales (beta 1)."""
    from tests.ops.elementwise_cases import int16_variants
    from tests.ops.kernel_harness import compare_with_tflm

    models = int16_variants(tf.nn.softmax, [[3, 37]], n=12, seed=61,
                            randomize="inputs", log10_scale=(-5.0, -1.5))
    assert op_types(models[0]) == ["SOFTMAX"]
    result = compare_with_tflm(models, tmp_path, np.random.default_rng(10), n_samples=6)
    assert result.models == 12


def test_softmax_int16_tables_match_the_c_library_expf() -> None:
    """The tables use exp rounded from double; TFLM calls the C library's expf. On the 1,539
    points the tables sample both give the same tables (glibc's expf is not always correctly
    rounded, so this is checked, not assumed)."""
    import ctypes
    import ctypes.util

    from microforge.ops.softmax_s16_tables import RANGE, lut_populate_int16, softmax_int16_tables

    name = ctypes.util.find_library("m")
    if name is None:
        pytest.skip("no C math library to compare with")
    libm = ctypes.CDLL(name)
    libm.expf.restype, libm.expf.argtypes = ctypes.c_float, [ctypes.c_float]
    f32 = np.float32
    c_table = lut_populate_int16(f32(f32(10.0) / f32(RANGE)), 32767, f32(f32(2.0) / f32(RANGE)),
                                 0, lambda v: f32(libm.expf(float(v))))
    exp_lut, recip_lut = softmax_int16_tables()
    np.testing.assert_array_equal(exp_lut, c_table)
    assert exp_lut[-1] == 32767 and recip_lut[0] == 32767 and recip_lut[-1] == 16384
    assert np.all(np.diff(exp_lut.astype(np.int32)) >= 0)
