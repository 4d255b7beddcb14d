"""DEPTH_TO_SPACE vs TFLM on converter-built float32/int8 models (random block size and shape)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ops.depth_space_cases import depth_space_model
from tests.ops.layout_harness import check_both_layers
from tests.ops.tflm_compare import op_types

OP = "DEPTH_TO_SPACE"


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3))
def test_depth_to_space_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = depth_space_model(seed, mode, OP)
    assert op_types(model) == [OP]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3, 15))
def test_depth_to_space_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = depth_space_model(seed, mode, OP)
    assert op_types(model) == [OP]
    check_both_layers(model, tmp_path, seed=seed)
