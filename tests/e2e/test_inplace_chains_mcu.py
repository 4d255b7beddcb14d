"""The chained in-place runs of a 96x96 MobileNet 0.25 (an expanding 1x1 conv and strided
depthwise convs sharing their input's memory) compiled for the Cortex-M7, whose DSP kernel
variants then run beside the portable in-place paths: bit-exact with TFLM on the emulated M7."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.runners.host import compile_and_load
from microforge.runners.mcu import run_model_on_mcu
from microforge.runners.tflm import run_tflm_batch
from microforge.targets.boards import load_board
from microforge.targets.features import core_features
from tests.ops.tflite_build import random_inputs

BOARD = "stm32f746g_disco"


@pytest.mark.slow
def test_mobilenet_chained_in_place_runs_match_tflm_on_the_m7(tf, tflm, tmp_path: Path) -> None:
    import keras

    from microforge.train.quantize import quantize_int8
    from microforge.train.zoo import build_model

    keras.utils.set_random_seed(4)
    model = build_model("mobilenet", (96, 96, 1), 4, width=0.25, dropout=0.0)
    calibration = np.random.default_rng(4).uniform(-1, 1, (24, 96, 96, 1)).astype(np.float32)
    tflite = quantize_int8(model, calibration, n_samples=24)
    compiled = compile_and_load(tflite, tmp_path / "c", "m",
                                target=core_features(load_board(BOARD)))
    plan = compiled.memory_plan
    in_place = {plan.op_types[op] for op in plan.inplace}
    assert {"CONV_2D", "DEPTHWISE_CONV_2D"} <= in_place, in_place
    samples = random_inputs(tflite, 3, seed=5)
    result = run_model_on_mcu(compiled, BOARD, samples, work_dir=tmp_path / "mcu")
    for got, expected in zip(result.outputs, run_tflm_batch(tflite, samples), strict=True):
        for a, b in zip(got, expected, strict=True):
            np.testing.assert_array_equal(a, b)
