"""`microforge optimize`'s 16x8 variant (int16 activations, int8 weights) of the UCI HAR dense
model and of a DS-CNN on speech MFCCs compiles with microforge.compile and equals TFLM bit
for bit on real inputs, and optimize's cost measurement now deploys it through the compiler.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.ir.tflite_reader import read_tflite

SLOW = pytest.mark.slow  # a short training each (about 20 s on the shared 2-core machine)
WORDS = ["yes", "no", "up", "down", "left", "right"]


def har_windows(shared_data: Path) -> tuple[np.ndarray, np.ndarray]:
    """UCI HAR test windows (128 x 9, standardized) and their labels 0..5."""
    signals = shared_data / "datasets/uci_har_test/inertial_signals_test_csv"
    channels = [f"{s}_{a}_test" for s in ("body_acc", "body_gyro", "total_acc") for a in "xyz"]
    x = np.stack([np.loadtxt(signals / f"{c}.csv", delimiter=",", dtype=np.float32)
                  for c in channels], -1)
    y = np.loadtxt(signals / "y_test.csv", dtype=int) - 1
    flat = x.reshape(-1, 9)
    return ((x - flat.mean(0)) / flat.std(0)).astype(np.float32), y


def speech_mfccs(shared_data: Path) -> tuple[np.ndarray, np.ndarray]:
    """MLPerf-KWS MFCCs (49 x 10) of every clip of WORDS and their labels."""
    import soundfile

    from microforge.dsp.mfcc import mlperf_kws_preset

    root = shared_data / "datasets/speech_commands_subset"
    clips, labels = [], []
    for label, word in enumerate(WORDS):
        for path in sorted((root / word).glob("*.wav")):
            audio, rate = soundfile.read(path, dtype="float32")
            assert rate == 16000
            clips.append(np.pad(audio[:16000], (0, max(0, 16000 - len(audio)))))
            labels.append(label)
    windows = np.stack(clips)[:, :, None]
    features = mlperf_kws_preset().fit_transform(windows, 16000.0)
    return features.astype(np.float32), np.array(labels)


def quantize_input(model: bytes, x: np.ndarray) -> np.ndarray:
    t = read_tflite(model).tensors[read_tflite(model).inputs[0]]
    q = np.round(x / t.scale) + t.zero_point
    return np.clip(q, -32768, 32767).astype(np.int16)


def check_16x8_variant(keras_model, x_train: np.ndarray, y_train: np.ndarray,
                       x_test: np.ndarray, tmp_path: Path) -> bytes:
    import microforge
    from microforge.optimize.evaluate import measure_cost
    from microforge.optimize.ptq import quantize_variant
    from microforge.runners.tflm import run_tflm_batch
    from microforge.train.fit import TrainParams, train_model

    train_model(keras_model, x_train, y_train, params=TrainParams(epochs=3), progress=False)
    model = quantize_variant(keras_model, x_train, "ptq_16x8")
    graph = read_tflite(model)
    assert graph.tensors[graph.inputs[0]].dtype == "int16"
    compiled = microforge.compile(model, tmp_path / "c16x8")
    samples = [[quantize_input(model, x[None])] for x in x_test]
    reference = run_tflm_batch(model, samples)
    ours = np.stack([compiled.run(s)[0] for s in samples])
    theirs = np.stack([r[0] for r in reference])
    assert ours.dtype == theirs.dtype == np.int16
    assert int(np.count_nonzero(ours != theirs)) == 0
    # the variant tracks its Keras model (the inputs are meaningful, not saturated)
    expected = keras_model.predict(x_test, verbose=0).argmax(-1)
    assert np.mean(ours.reshape(len(x_test), -1).argmax(-1) == expected) > 0.9
    assert measure_cost(model, x_test[0], instructions=False).deploy == "microforge"
    sanitized = compiled.sanitized()  # ASan/UBSan on the host
    for sample, expected_out in list(zip(samples, theirs, strict=True))[:3]:
        np.testing.assert_array_equal(sanitized.run(sample)[0], expected_out)
    check_on_cortex_m4(compiled, samples[:6], theirs[:6], tmp_path)
    check_deploys(model, tmp_path)
    return model


def check_deploys(model: bytes, tmp_path: Path) -> None:
    """`microforge deploy` packages the 16x8 variant as microforge C (int16 kernels)."""
    from microforge.deploy.package import deploy_model

    path = tmp_path / "m16x8.tflite"
    path.write_bytes(model)
    deploy_model(path, "nucleo_l4r5zi", "c", tmp_path / "deploy", "m16")
    files = {p.name for p in (tmp_path / "deploy").iterdir()}
    assert {"m16.c", "m16.h", "fully_connected_s16.c"} <= files, files
    assert "int16_t" in (tmp_path / "deploy" / "m16.h").read_text()


def check_on_cortex_m4(compiled, samples: list[list[np.ndarray]], expected: np.ndarray,
                       tmp_path: Path) -> None:
    """The same library built for the emulated Cortex-M4 (DSP extension): == TFLM."""
    from microforge.optimize.evaluate import MCU_BOARD, mcu_available
    from microforge.runners.mcu import run_model_on_mcu

    if not mcu_available():
        pytest.fail("arm-none-eabi-gcc / qemu-system-arm missing: run `make toolchain`")
    result = run_model_on_mcu(compiled, MCU_BOARD, samples, work_dir=tmp_path / "m4")
    got = np.stack([o[0] for o in result.outputs]).reshape(expected.shape)
    np.testing.assert_array_equal(got, expected)


@SLOW
def test_har_dense_16x8_equals_tflm(shared_data, tf, tflm, tmp_path):
    from microforge.train.zoo import build_model

    x, y = har_windows(shared_data)
    keras_model = build_model("dense", (128, 9), 6, width=0.5)
    model = check_16x8_variant(keras_model, x[:1500], y[:1500], x[1500:1564], tmp_path)
    assert {op.op_type for op in read_tflite(model).operators} >= {"FULLY_CONNECTED", "SOFTMAX"}


@SLOW
def test_dscnn_16x8_equals_tflm(shared_data, tf, tflm, tmp_path):
    from microforge.train.zoo import build_model

    x, y = speech_mfccs(shared_data)
    assert len(x) >= 50
    keras_model = build_model("dscnn", (49, 10), len(WORDS), width=0.5)
    model = check_16x8_variant(keras_model, x, y, x, tmp_path)
    assert {op.op_type for op in read_tflite(model).operators} >= {
        "CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "FULLY_CONNECTED", "SOFTMAX"}
