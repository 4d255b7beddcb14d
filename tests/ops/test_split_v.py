"""SPLIT_V vs TFLM: converter-built float32/int8 models (uneven pieces), hand-built int16/int32."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ops.layout_harness import check_both_layers
from tests.ops.split_cases import converted_model, raw_model
from tests.ops.tflm_compare import op_types

OP = "SPLIT_V"


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(3))
def test_split_v_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = converted_model(seed, mode, OP)
    assert op_types(model) == [OP]
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.parametrize("dtype", ["int16", "int32", "int8", "float32"])
@pytest.mark.parametrize("seed", range(2))
def test_split_v_every_dtype_matches_tflm(tflm, tmp_path: Path, seed: int, dtype: str) -> None:
    check_both_layers(raw_model(seed, dtype, OP), tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["int16", "int32", "int8", "float32"])
@pytest.mark.parametrize("seed", range(2, 15))
def test_split_v_every_dtype_matches_tflm_many(tflm, tmp_path: Path, seed: int, dtype: str) -> None:
    check_both_layers(raw_model(seed, dtype, OP), tmp_path, seed=seed)
