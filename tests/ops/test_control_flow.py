"""IF and WHILE (inlined by ir/control_flow.py) against TFLM: branches, loops with an int32
counter, nesting both ways, int8, Keras 3 GRU / LSTM written as WHILE loops; ASan/UBSan."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.runners.host import compile_and_load
from tests.ops import control_flow_models as models
from tests.ops.tflite_build import random_inputs
from tests.ops.tflm_compare import assert_matches_tflm, op_types


@pytest.mark.parametrize("build", [lambda: models.if_model(), lambda: models.if_model(int8=True),
                                   models.while_model, models.nested_model],
                         ids=["if_float", "if_int8", "while", "nested"])
def test_control_flow_matches_tflm(tf, tflm, tmp_path, build) -> None:
    model = build()
    assert "MF_IF_MERGE" in op_types(model) or "MF_LOOP_BEGIN" in op_types(model)
    assert_matches_tflm(model, tmp_path, n=30)


def test_the_random_inputs_take_both_branches_and_several_trip_counts(tf) -> None:
    """The inputs the tests above draw reach each branch, and loops of different lengths."""
    assert {bool(s[0].sum() > 0) for s in random_inputs(models.if_model(), 30)} == {True, False}
    trips = set()
    for sample in random_inputs(models.while_model(), 30):
        v, i = sample[0].astype(np.float32), 0
        while i < 10 and v.sum() < 100:
            v, i = v * np.float32(1.5) + np.float32(0.25), i + 1
        trips.add(i)
    assert len(trips) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("layer", ["gru", "lstm"])
def test_keras3_recurrent_layers_compile_through_the_while_loop(tf, tflm, tmp_path, layer) -> None:
    model = models.keras_recurrent_model(layer)
    assert "MF_LOOP_BEGIN" in op_types(model)
    assert_matches_tflm(model, tmp_path, n=10)


def test_loop_runs_clean_under_sanitizers(tf, tmp_path) -> None:
    model = compile_and_load(models.nested_model(), tmp_path / "nested", "nested")
    samples = random_inputs(models.nested_model(), 4, seed=9)
    checked = model.sanitized()
    for sample in samples:
        np.testing.assert_array_equal(checked.run(sample)[0], model.run(sample)[0])
