"""ARG_MIN vs TFLM: converter-built float32/int8 models (ties frequent in int8), hand-built ones
with ties and NaN."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ops.arg_cases import arg_model, ties_model
from tests.ops.layout_harness import check_both_layers, check_samples
from tests.ops.tflm_compare import op_types

OP = "ARG_MIN"


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3))
def test_arg_min_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = arg_model(seed, mode, OP)
    assert op_types(model) == [OP]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3, 20))
def test_arg_min_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = arg_model(seed, mode, OP)
    assert op_types(model) == [OP]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.parametrize("dtype", ["float32", "int8"])
def test_arg_min_ties_and_nan_match_tflm(tflm, tmp_path: Path, dtype: str) -> None:
    model, samples = ties_model(OP, dtype)
    check_samples(model, tmp_path, samples)
