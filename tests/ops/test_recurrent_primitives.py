"""Keras 3 recurrent layers: with unroll=True the converter lowers a GRU or an LSTM to
primitive ops (FULLY_CONNECTED, SPLIT, LOGISTIC, TANH, MUL, ADD, SUB, UNPACK...), which
compile and equal TFLM (int8 bit-exact, float32 within assert_same's tolerance); without it
the layer becomes a WHILE loop and the error says what to do."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.ops.layout_harness import assert_same
from tests.ops.lstm_models import quantized

pytestmark = pytest.mark.slow  # converts Keras models


def _convert(layer, dtype: str) -> bytes:
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(5)
    model = keras.Sequential([keras.Input((8, 3), batch_size=1), layer, keras.layers.Dense(2)])
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if dtype == "int8":
        samples = np.random.default_rng(5).normal(0.0, 1.0, (32, 1, 8, 3)).astype(np.float32)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: ([s] for s in samples)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert()


@pytest.mark.parametrize("dtype", ["int8", "float32"])
@pytest.mark.parametrize("kind", ["GRU", "LSTM"])
def test_unrolled_keras_3_layer_compiles_through_primitive_ops(tf, tflm, tmp_path: Path,
                                                               kind: str, dtype: str) -> None:
    import keras

    import microforge
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    data = _convert(getattr(keras.layers, kind)(6, unroll=True), dtype)
    model = microforge.compile(data, tmp_path / "out")
    ops = {op.op_type for op in model.info.ops}
    assert {"FULLY_CONNECTED", "LOGISTIC", "TANH", "MUL"} <= ops and model.info.state_size == 0
    rng = np.random.default_rng(0)
    scale, zero_point = model.input_details(0)["quantization"]
    for k in range(10):
        x = rng.normal(0.0, 1.0, (1, 8, 3)).astype(np.float32)
        if dtype == "int8":
            x = quantized(x, scale, zero_point)
        assert_same(run_tflm(data, [x], tflm_interpreter(data)), model.run([x]), f"{kind} {k}")


def test_a_keras_3_loop_compiles_through_the_cli(tf, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A Keras 3 GRU that is not unrolled (a WHILE loop: ir/control_flow.py) compiles; its
    outputs against TFLM are in tests/ops/test_control_flow.py."""
    import keras

    from microforge.cli import main

    path = tmp_path / "gru.tflite"
    path.write_bytes(_convert(keras.layers.GRU(6), "float32"))
    assert main(["compile", str(path), "-o", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    assert "MF_LOOP_BEGIN" in (tmp_path / "out" / "model.c").read_text()
