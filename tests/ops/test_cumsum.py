"""CUMSUM vs TFLM: every axis form, exclusive and reverse, float32 and int8 (converter-built,
plus int8 variants with random quantization), compiled and run on the host."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.elementwise_cases import compare_compiled_with_tflm, float_model
from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

FORMS = [(1, False, False), (-1, True, False), (0, False, True), (2, True, True)]


def _fn(axis: int, exclusive: bool, reverse: bool):
    import tensorflow as tf

    return lambda x: tf.math.cumsum(x, axis=axis, exclusive=exclusive, reverse=reverse)


@pytest.mark.parametrize(("axis", "exclusive", "reverse"), FORMS)
def test_float32_matches_tflm(tf, tflm, tmp_path, axis, exclusive, reverse) -> None:
    model = float_model(_fn(axis, exclusive, reverse), [[2, 5, 3]])
    assert compare_compiled_with_tflm([model], tmp_path, np.random.default_rng(0)) > 0


def int8_cumsum_model(axis: int, exclusive: bool, reverse: bool, in_q: tuple[float, int],
                      out_q: tuple[float, int], shape=(2, 5, 3)) -> bytes:
    """Hand-built: the converter leaves CUMSUM in float between DEQUANTIZE and QUANTIZE."""
    tensors = [RawTensor(shape, "int8", in_q), RawTensor((1,), "int32",
                                                         data=np.asarray([axis], np.int32)),
               RawTensor(shape, "int8", out_q)]
    op = RawOp("CUMSUM", (0, 1), (2,), int_options=("CumsumOptions",
                                                    (int(exclusive), int(reverse))))
    return raw_tflite(tensors, [op], [0], [2])


@pytest.mark.parametrize(("axis", "exclusive", "reverse"), FORMS)
@pytest.mark.parametrize(("in_q", "out_q"), [((0.05, 3), (0.2, -7)), ((0.5, -128), (0.9, 0))])
def test_int8_matches_tflm(tflm, tmp_path, axis, exclusive, reverse, in_q, out_q) -> None:
    rng = np.random.default_rng(axis + 5)
    samples = [[rng.integers(-128, 128, (2, 5, 3)).astype(np.int8)] for _ in range(3)]
    check_samples(int8_cumsum_model(axis, exclusive, reverse, in_q, out_q), tmp_path, samples)
