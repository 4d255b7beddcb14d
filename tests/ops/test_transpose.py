"""TRANSPOSE vs TFLM on generated single-op models (pure data movement: float compared with
rtol 1e-5 like every float op, and in fact identical)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.ops.layout_common import CopyCall, CopyPlan, row_major_strides
from tests.ops.layout_harness import check_both_layers
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import op_types


def transpose_model(seed: int, mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(3000 + seed)
    rank = int(rng.integers(2, 6))
    while True:  # a permutation that only moves unit axes is converted to RESHAPE
        shape = [int(rng.choice([1, 2, 3, 4, 5, 7])) for _ in range(rank)]
        perm = rng.permutation(rank).tolist()
        moved = [p for p in perm if shape[p] != 1]
        if moved != sorted(moved):
            break

    def fn(x):
        return tf.transpose(x, perm)

    return build_tflite(fn, [shape], mode, seed=seed)


@pytest.mark.parametrize("mode", ["int8", "float", "16x8"])
@pytest.mark.parametrize("seed", range(4))
def test_transpose_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = transpose_model(seed, mode)
    assert "TRANSPOSE" in op_types(model)
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float", "16x8"])
@pytest.mark.parametrize("seed", range(4, 40))
def test_transpose_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = transpose_model(seed, mode)
    assert "TRANSPOSE" in op_types(model)
    check_both_layers(model, tmp_path, seed=seed)


def test_copy_plan_merges_untouched_axes() -> None:
    # NHWC -> NWHC of 1x4x5x3: C stays contiguous (a 3-element run), H and W swap
    src = row_major_strides((1, 4, 5, 3))
    plan = CopyPlan((1, 5, 4, 3), (src[0], src[2], src[1], src[3]), row_major_strides((1, 5, 4, 3)))
    call = CopyCall.from_plan(plan, itemsize=1)
    assert call.counts == (5, 4) and call.run_bytes == 3
    assert call.src_strides == (3, 15) and call.dst_strides == (12, 3)
    # identity: one contiguous run of every byte (float32: 4 bytes each)
    ident = CopyCall.from_plan(CopyPlan((2, 3), (3, 1), (3, 1)), itemsize=4)
    assert ident.counts == () and ident.run_bytes == 24


def test_int8_bytes_move_whatever_the_quantization(tflm, tmp_path: Path) -> None:
    """TFLM's TRANSPOSE copies raw int8 values even when the output is quantized differently;
    so does microforge (no refusal, no requantization)."""
    from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite

    tensors = [RawTensor((2, 3, 4), "int8", (0.05, 3)),
               RawTensor((3,), "int32", data=np.array([2, 0, 1], np.int32)),
               RawTensor((4, 2, 3), "int8", (0.1, -7))]
    model = raw_tflite(tensors, [RawOp("TRANSPOSE", (0, 1), (2,))], [0], [2])
    check_both_layers(model, tmp_path)
