from __future__ import annotations

import numpy as np
import pytest

from microforge.errors import DataError
from microforge.runners.tflm import run_tflm, tflm_arena_size, tflm_interpreter
from microforge.train.quantize import convert_float, predict_int8, quantize_int8
from tests.train.test_fit import separable_windows

SLOW = pytest.mark.slow  # these share a trained model (about 15 s on the shared 2-core machine)


@pytest.fixture(scope="module")
def trained(tf):
    from microforge.train.fit import TrainParams, train_model
    from microforge.train.zoo import build_model

    x, y = separable_windows(n=180, seed=2)
    model = build_model("cnn1d", x.shape[1:], 3, seed=2)
    train_model(
        model, x[:120], y[:120], params=TrainParams(epochs=5, batch_size=16, seed=2), progress=False
    )
    return model, x[120:], y[120:], x[:120]


@pytest.fixture(scope="module")
def int8_model(trained, tflm) -> bytes:
    model, _, _, x_train = trained
    return quantize_int8(model, x_train, n_samples=100, seed=0)


@SLOW
def test_int8_model_has_int8_io_and_runs_in_tflm(int8_model):
    interp = tflm_interpreter(int8_model)
    assert interp.get_input_details(0)["dtype"] == np.int8
    assert interp.get_output_details(0)["dtype"] == np.int8
    arena = tflm_arena_size(int8_model)
    assert 0 < arena.head < arena.total


@SLOW
def test_int8_predictions_agree_with_float(trained, int8_model):
    model, x_test, y_test, _ = trained
    keras_scores = model.predict(x_test, verbose=0)
    scores, labels = predict_int8(int8_model, x_test)
    assert scores.shape == keras_scores.shape and scores.dtype == np.float32
    assert (labels == keras_scores.argmax(-1)).mean() >= 0.9
    assert np.abs(scores - keras_scores).max() < 0.1  # softmax output step is 1/256
    assert (labels == y_test).mean() > 0.7


@SLOW
def test_predict_quantizes_with_the_model_input_parameters(int8_model, trained):
    _, x_test, _, _ = trained
    interp = tflm_interpreter(int8_model)
    q_in = interp.get_input_details(0)["quantization_parameters"]
    q_out = interp.get_output_details(0)["quantization_parameters"]
    scale, zero = float(q_in["scales"][0]), int(q_in["zero_points"][0])
    sample = np.clip(np.round(x_test[0] / scale) + zero, -128, 127).astype(np.int8)[None]
    (raw,) = run_tflm(int8_model, [sample], interp)
    expected = (raw.astype(np.float32) - q_out["zero_points"][0]) * q_out["scales"][0]
    scores, _ = predict_int8(int8_model, x_test[:1])
    np.testing.assert_allclose(scores[0], expected.reshape(-1), rtol=0, atol=1e-7)


@SLOW
def test_float_tflite_matches_keras(trained, tflm):
    model, x_test, _, _ = trained
    float_model = convert_float(model)
    scores, labels = predict_int8(float_model, x_test[:20])
    np.testing.assert_allclose(scores, model.predict(x_test[:20], verbose=0), atol=1e-4)
    assert len(float_model) > 2 * len(quantize_int8(model, x_test, n_samples=10))


@SLOW
def test_input_shape_mismatch_is_a_data_error(int8_model):
    with pytest.raises(DataError, match="do not match the model input"):
        predict_int8(int8_model, np.zeros((2, 16, 3), np.float32))


@SLOW
def test_bad_representative_data_is_a_data_error(trained):
    model = trained[0]
    with pytest.raises(DataError, match="NaN"):
        quantize_int8(model, np.full((4, 32, 3), np.nan, np.float32))


def test_kws_reference_model_on_golden_features(shared_data, tflm):
    """Real third-party model: the float features are quantized exactly like MLPerf's own."""
    folder = shared_data / "models/mlperf_kws"
    golden = np.load(folder / "frontend_golden.npz")
    model = (folder / "kws_ref_model.tflite").read_bytes()
    scores, labels = predict_int8(model, golden["features_float32"])
    assert labels.tolist() == golden["pred_int8"].tolist()
    assert scores.shape == (5, 12)
    np.testing.assert_allclose(scores.sum(axis=1), 1.0, atol=0.05)  # dequantized softmax


def test_ad_int8_output_tracks_the_float_model(shared_data, tflm):
    folder = shared_data / "models/mlperf_ad"
    frames = np.fromfile(folder / "normal_id_01_00000000_hist_librosa.bin", np.float32)
    frames = frames.reshape(200, 128)
    windows = np.stack([frames[i : i + 5].reshape(-1) for i in range(0, 196, 7)])
    int8_out, _ = predict_int8((folder / "ad01_int8.tflite").read_bytes(), windows)
    float_out, _ = predict_int8((folder / "ad01_fp32.tflite").read_bytes(), windows)
    assert int8_out.shape == float_out.shape == (len(windows), 640)
    error = np.abs(int8_out - float_out).mean() / np.abs(float_out).mean()
    assert error < 0.05


@SLOW
def test_uci_har_by_subject_float_and_int8_accuracy(shared_data, tf, tflm):
    """Real IMU data, split by subject: the cnn1d learns and int8 keeps its accuracy."""
    from microforge.train.fit import TrainParams, train_model
    from microforge.train.metrics import evaluate
    from microforge.train.zoo import build_model

    root = shared_data / "datasets/uci_har_test"
    signals = root / "inertial_signals_test_csv"
    channels = [f"{s}_{a}_test" for s in ("body_acc", "body_gyro", "total_acc") for a in "xyz"]
    x = np.stack(
        [np.loadtxt(signals / f"{c}.csv", delimiter=",", dtype=np.float32) for c in channels], -1
    )
    y = np.loadtxt(signals / "y_test.csv", dtype=int) - 1
    subject = np.loadtxt(root / "original_metadata/subject_test.txt", dtype=int)
    subjects = np.unique(subject)
    test, val = np.isin(subject, subjects[:3]), np.isin(subject, subjects[3:5])
    train = ~(test | val)
    flat = x[train].reshape(-1, 9)
    x = (x - flat.mean(0)) / flat.std(0)

    model = build_model("cnn1d", (128, 9), 6)
    train_model(model, x[train], y[train], x[val], y[val], TrainParams(epochs=15), progress=False)
    names = [str(i) for i in range(6)]
    float_acc = evaluate(y[test], model.predict(x[test], verbose=0).argmax(-1), names).accuracy
    int8 = quantize_int8(model, x[train])
    _, labels = predict_int8(int8, x[test])
    int8_acc = evaluate(y[test], labels, names).accuracy
    assert float_acc > 0.8  # chance is 1/6; measured 0.878
    assert abs(float_acc - int8_acc) < 0.03
    assert len(int8) < 32 * 1024
