"""L2_POOL_2D vs TFLM (float32, TFLM's only type): SAME and VALID padding, strides, windows
cut by the border, fused activations; hand-built (the TF converter never writes this op)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

SAME, VALID = 0, 1  # tflite.Padding
NONE, RELU6 = 0, 3  # tflite.ActivationFunctionType


def _out(size: int, filt: int, stride: int, padding: int) -> int:
    return -(-size // stride) if padding == SAME else (size - filt) // stride + 1


@pytest.mark.parametrize(("shape", "filt", "stride", "padding", "act"), [
    ((1, 6, 6, 3), (2, 2), (2, 2), VALID, NONE), ((2, 5, 7, 2), (3, 3), (1, 2), SAME, NONE),
    ((1, 4, 4, 1), (3, 2), (2, 1), SAME, RELU6), ((1, 9, 1, 4), (4, 1), (3, 1), VALID, NONE),
])
def test_matches_tflm(tflm, tmp_path, shape, filt, stride, padding, act) -> None:
    out = (shape[0], _out(shape[1], filt[0], stride[0], padding),
           _out(shape[2], filt[1], stride[1], padding), shape[3])
    options = ("Pool2DOptions", (padding, stride[1], stride[0], filt[1], filt[0], act))
    model = raw_tflite([RawTensor(shape, "float32"), RawTensor(out, "float32")],
                       [RawOp("L2_POOL_2D", (0,), (1,), int_options=options)], [0], [1])
    rng = np.random.default_rng(sum(shape))
    samples = [[(rng.standard_normal(shape) * 4).astype(np.float32)] for _ in range(3)]
    check_samples(model, tmp_path, samples)
