import numpy as np
import pytest

from microforge.optimize.evaluate import mcu_available, measure_cost
from microforge.targets.boards import load_board


@pytest.fixture(scope="module")
def tiny_models():
    from microforge.train.quantize import convert_float, quantize_int8
    from microforge.train.zoo import build_model

    model = build_model("cnn1d", (32, 3), 3, width=0.25)
    x = np.random.default_rng(0).normal(size=(30, 32, 3)).astype(np.float32)
    return quantize_int8(model, x, 20), convert_float(model), model, x


def test_int8_costs_less_than_float_and_fits(tiny_models):
    int8, float32, _, x = tiny_models
    a = measure_cost(int8, x[0], instructions=False)
    b = measure_cost(float32, x[0], instructions=False)
    assert a.deploy == b.deploy == "microforge"
    assert a.macs == b.macs > 0
    assert a.flash_bytes < b.flash_bytes and a.ram_bytes < b.ram_bytes
    assert a.instructions is None and "not measured" in a.instructions_source
    assert a.fit(load_board("raspberry_pi_pico")).fits


def test_16x8_variant_deploys_through_the_compiler(tiny_models):
    import microforge.optimize.ptq as ptq

    _, _, model, x = tiny_models
    cost = measure_cost(ptq.quantize_variant(model, x, "ptq_16x8"), x[0], instructions=False)
    assert cost.deploy == "microforge" and "microforge C" in cost.flash_source
    assert cost.ram_bytes and "microforge arena" in cost.ram_source


def test_unsupported_model_falls_back_to_tflm_figures(tiny_models):
    """A 16x8 model with an op TFLM runs at int16 and the compiler does not (MEAN)."""
    import keras

    import microforge.optimize.ptq as ptq
    from microforge.ir.tflite_reader import read_tflite

    x = tiny_models[3]
    inputs = keras.Input(x.shape[1:])
    hidden = keras.layers.GlobalAveragePooling1D()(keras.layers.Dense(8)(inputs))
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(hidden))
    int16 = ptq.quantize_variant(model, x, "ptq_16x8")
    assert "MEAN" in {op.op_type for op in read_tflite(int16).operators}
    cost = measure_cost(int16, x[0])
    assert cost.deploy != "microforge", "int16 MEAN compiles now: pick another op for this test"
    assert cost.flash_bytes == len(int16) and "TFLM runtime" in cost.flash_source
    assert cost.ram_bytes and "TFLM arena" in cost.ram_source
    fit = cost.fit(load_board("arduino_nano_33_ble_sense"))
    assert fit.flash_bytes >= len(int16) + 80 * 1024  # the TFLM runtime estimate is added


@pytest.mark.slow
def test_instructions_are_counted_on_the_emulated_cortex_m4(tiny_models):
    if not mcu_available():
        pytest.skip("arm-none-eabi-gcc / qemu-system-arm not installed")
    int8, _, _, x = tiny_models
    cost = measure_cost(int8, x[0])
    assert cost.instructions is not None, cost.instructions_source
    assert cost.instructions > cost.macs  # at least one instruction per MAC
    assert "Cortex-M4" in cost.instructions_source
