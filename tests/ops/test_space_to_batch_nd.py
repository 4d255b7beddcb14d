"""SPACE_TO_BATCH_ND vs TFLM: 4-D and 3-D, padding on every side, batch > 1, float32 and int8.
Every element that is not padding is identical to TFLM; the padding is the value 0 (int8: the
zero point), checked against a numpy reference, because TFLM pads with a parameter its Prepare
never sets (uninitialised memory)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.space_batch_cases import samples, space_batch_model

ZERO_POINT = 7  # space_batch_cases' int8 quantization

CASES = [
    ("float32", (1, 4, 4, 3), (4, 2, 2, 3), [2, 2], [0, 0, 0, 0]),
    ("int8", (2, 5, 3, 2), (8, 3, 2, 2), [2, 2], [1, 0, 0, 1]),
    ("int8", (1, 5, 4), (3, 3, 4), [3], [2, 2]),
    ("float32", (1, 3, 5, 1), (6, 2, 3, 1), [2, 3], [1, 0, 2, 2]),
]


def reference(x: np.ndarray, block: list[int], pads: list[int], pad_value) -> np.ndarray:
    """numpy SpaceToBatchND: pad, split the spatial dimensions by the block, move it first."""
    x4 = x if x.ndim == 4 else x[:, :, None, :]
    bh, bw = (block[0], block[1]) if len(block) == 2 else (block[0], 1)
    top, bottom, left, right = pads if len(pads) == 4 else (pads[0], pads[1], 0, 0)
    padded = np.pad(x4, [(0, 0), (top, bottom), (left, right), (0, 0)],
                    constant_values=pad_value)
    b, h, w, c = padded.shape
    blocks = padded.reshape(b, h // bh, bh, w // bw, bw, c).transpose(2, 4, 0, 1, 3, 5)
    out = blocks.reshape(bh * bw * b, h // bh, w // bw, c)
    return out if x.ndim == 4 else out[:, :, 0, :]


@pytest.mark.parametrize(("dtype", "src", "dst", "block", "pads"), CASES)
def test_matches_tflm_off_the_padding(tflm, tmp_path, dtype, src, dst, block, pads) -> None:
    import microforge
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    model = space_batch_model("SPACE_TO_BATCH_ND", dtype, src, dst, block, pads)
    compiled = microforge.compile(model, tmp_path / "out")
    pad_value = ZERO_POINT if dtype == "int8" else 0.0
    for (x,) in samples(dtype, src):
        got = compiled.run([x])[0]
        np.testing.assert_array_equal(got, reference(x, block, pads, pad_value))
        inside = reference(np.ones(src, bool), block, pads, False)
        expected = run_tflm(model, [x], tflm_interpreter(model))[0]
        np.testing.assert_array_equal(got[inside], expected[inside])


def test_a_block_that_does_not_divide_the_padded_size_is_refused(tmp_path) -> None:
    import microforge
    from microforge.errors import ModelError

    model = space_batch_model("SPACE_TO_BATCH_ND", "float32", (1, 5, 4, 1), (4, 3, 2, 1),
                              [2, 2], [0, 0, 0, 0])
    with pytest.raises(ModelError, match=r"padded size 5x4 is not a multiple of the block 2x2"):
        microforge.compile(model, tmp_path / "out")
