"""REDUCE_MIN vs TFLM: converter-built float32/int8 models, a float32 one with NaN."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ops.layout_harness import check_both_layers, check_samples
from tests.ops.reduce_cases import nan_model, reduce_model
from tests.ops.tflm_compare import op_types

OP = "REDUCE_MIN"


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3))
def test_reduce_min_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = reduce_model(seed, mode, OP)
    assert op_types(model) == [OP]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3, 20))
def test_reduce_min_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = reduce_model(seed, mode, OP)
    assert op_types(model) == [OP]
    check_both_layers(model, tmp_path, seed=seed)


def test_reduce_min_nan_matches_tflm(tflm, tmp_path: Path) -> None:
    model, samples = nan_model(OP)
    check_samples(model, tmp_path, samples)
