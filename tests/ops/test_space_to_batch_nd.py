"""SPACE_TO_BATCH_ND vs TFLM: 4-D and 3-D, padding on every side, batch > 1, float32 and int8
(a non-zero zero point: the padding is what TFLM writes)."""

from __future__ import annotations

import pytest

from tests.ops.layout_harness import check_samples
from tests.ops.space_batch_cases import samples, space_batch_model

CASES = [
    ("float32", (1, 4, 4, 3), (4, 2, 2, 3), [2, 2], [0, 0, 0, 0]),
    ("int8", (2, 5, 3, 2), (8, 3, 2, 2), [2, 2], [1, 0, 0, 1]),
    ("int8", (1, 5, 4), (3, 3, 4), [3], [2, 2]),
    ("float32", (1, 3, 5, 1), (6, 2, 3, 1), [2, 3], [1, 0, 2, 2]),
]


@pytest.mark.parametrize(("dtype", "src", "dst", "block", "pads"), CASES)
def test_matches_tflm(tflm, tmp_path, dtype, src, dst, block, pads) -> None:
    model = space_batch_model("SPACE_TO_BATCH_ND", dtype, src, dst, block, pads)
    check_samples(model, tmp_path, samples(dtype, src))


def test_a_block_that_does_not_divide_the_padded_size_is_refused(tmp_path) -> None:
    import microforge
    from microforge.errors import ModelError

    model = space_batch_model("SPACE_TO_BATCH_ND", "float32", (1, 5, 4, 1), (4, 3, 2, 1),
                              [2, 2], [0, 0, 0, 0])
    with pytest.raises(ModelError, match=r"padded size 5x4 is not a multiple of the block 2x2"):
        microforge.compile(model, tmp_path / "out")
