"""MIRROR_PAD vs TFLM on converter-built float32/int8 models (REFLECT and SYMMETRIC, random
paddings up to the largest TensorFlow allows)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.layout_harness import check_both_layers
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import op_types


def mirror_pad_model(seed: int, mode: str, pad_mode: str) -> bytes:
    import tensorflow as tf

    rng = np.random.default_rng(9990 + seed)
    shape = [int(rng.integers(1, 5)) for _ in range(int(rng.integers(1, 5)))]
    limit = [n - (1 if pad_mode == "REFLECT" else 0) for n in shape]
    pads = [[int(rng.integers(0, m + 1)), int(rng.integers(0, m + 1))] for m in limit]
    if not any(a or b for a, b in pads):
        k = int(np.argmax(limit))
        pads[k][0] = limit[k]

    def fn(x):
        return tf.pad(x, pads, mode=pad_mode)

    return build_tflite(fn, [shape], mode, seed=seed)


@pytest.mark.parametrize("pad_mode", ["REFLECT", "SYMMETRIC"])
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3))
def test_mirror_pad_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str,
                                 pad_mode: str) -> None:
    model = mirror_pad_model(seed, mode, pad_mode)
    types = op_types(model)
    if types != ["MIRROR_PAD"]:
        pytest.skip(f"the converter emitted {types} (no padding possible for this shape)")
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("pad_mode", ["REFLECT", "SYMMETRIC"])
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3, 15))
def test_mirror_pad_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str,
                                      pad_mode: str) -> None:
    model = mirror_pad_model(seed, mode, pad_mode)
    types = op_types(model)
    if types != ["MIRROR_PAD"]:
        pytest.skip(f"the converter emitted {types} (no padding possible for this shape)")
    check_both_layers(model, tmp_path, seed=seed)


def test_mirror_pad_is_clean_under_sanitizers(tf, tmp_path: Path) -> None:
    """The border copies read the output itself with negative strides: ASan/UBSan clean."""
    import microforge

    def fn(x):
        return tf.pad(x, [[1, 2], [2, 0], [0, 3]], mode="REFLECT")

    model = build_tflite(fn, [(3, 3, 4)], "float")
    x = np.arange(36, dtype=np.float32).reshape(3, 3, 4)
    got = microforge.compile(model, tmp_path / "m").sanitized().run([x])[0]
    np.testing.assert_array_equal(got, np.pad(x, [[1, 2], [2, 0], [0, 3]], mode="reflect"))
