"""importers.onnx_import on PyTorch-style ONNX models: int8 C bit-exact with TFLM on the
converted .tflite (and clean under ASan/UBSan), int8 top-1 agreement with onnxruntime >= 99 % on calibration and held-out
inputs, no layout transpose left, float C within 1e-4 (relative to the output range) of
onnxruntime. The GRU (unrolled by onnx2tf) keeps its [N, T, C] input layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.importers.gates import agreement, onnx_outputs
from microforge.importers.onnx_import import import_onnx
from microforge.importers.onnx_model import read_onnx
from microforge.ir.tflite_reader import read_tflite
from microforge.runners.tflm import run_tflm
from tests.importers.onnx_fixtures import MODELS

N_CALIBRATION = 160  # of 240 samples; the rest are held out
FLOAT_TOLERANCE = 1e-4  # |C - onnxruntime| <= this x max |onnxruntime| (+ the same absolute)
SLOW = {"cnn1d_imu", "dscnn", "residual", "hardswish", "gru"}
CASES = [pytest.param(n, marks=[pytest.mark.slow] if n in SLOW else []) for n in MODELS]
FLOAT_CASES = CASES


@pytest.fixture(scope="module")
def onnx_files(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("onnx")


def _fixture(name: str, folder: Path):
    import onnx

    model, x, _ = MODELS[name]()
    path = folder / f"{name}.onnx"
    onnx.save(model, str(path))
    return path, x


@pytest.mark.parametrize("name", CASES)
def test_int8_import_is_bit_exact_and_agrees(onnx_stack, name: str, onnx_files: Path,
                                             tmp_path: Path) -> None:
    path, x = _fixture(name, onnx_files)
    compiled = import_onnx(path, tmp_path / "c", name, calibration=x[:N_CALIBRATION])
    report = compiled.import_report
    assert report.tflite_path == tmp_path / "c" / f"{name}.tflite"
    tflite_model = report.tflite_path.read_bytes()
    graph = read_tflite(tflite_model)
    assert report.transposes_left == 0
    assert "TRANSPOSE" not in [op.op_type for op in compiled.info.ops]
    (calibrated,) = report.calibration.outputs
    assert calibrated.top1 is not None and calibrated.top1 >= 0.99
    held = agreement(read_onnx(path), tflite_model, graph, report.layout, x[N_CALIBRATION:])
    assert held.outputs[0].top1 is not None and held.outputs[0].top1 >= 0.99
    # the C against TFLM on the converted model: the held-out inputs, quantized as the
    # device would, and random int8 inputs
    q = graph.tensors[graph.inputs[0]].quant
    assert q is not None
    quantized = np.clip(np.round(report.layout.to_tflite(x[N_CALIBRATION:]) / q.scale[0])
                        + q.zero_point[0], -128, 127).astype(np.int8)
    rng = np.random.default_rng(0)
    noise = rng.integers(-128, 128, (10, *quantized.shape[1:]), dtype=np.int8)
    for sample in [*quantized[:30], *noise]:
        got = compiled.run([sample[None]])[0]
        np.testing.assert_array_equal(got, run_tflm(tflite_model, [sample[None]])[0])
    sanitized = compiled.sanitized()  # the same C under ASan/UBSan
    for sample in (quantized[0], noise[0]):
        np.testing.assert_array_equal(sanitized.run([sample[None]])[0],
                                      compiled.run([sample[None]])[0])


@pytest.mark.parametrize("name", FLOAT_CASES)
def test_float_import_matches_onnxruntime(onnx_stack, name: str, onnx_files: Path,
                                          tmp_path: Path) -> None:
    path, x = _fixture(name, onnx_files)
    compiled = import_onnx(path, tmp_path / "c", name, quantize="float")
    report = compiled.import_report
    assert report.transposes_left == 0
    assert compiled.info.inputs[0].dtype == "float32"
    want = onnx_outputs(read_onnx(path), x[:40])[0]
    got = np.concatenate([compiled.run([s[None]])[0]
                          for s in report.layout.to_tflite(x[:40])])
    scale = float(np.max(np.abs(want)))
    assert float(np.max(np.abs(got - want))) <= FLOAT_TOLERANCE * (1 + scale)


@pytest.mark.slow
def test_qdq_model_from_onnxruntime(onnx_stack, onnx_files: Path, tmp_path: Path) -> None:
    """A QDQ model (onnxruntime quantize_static) is dequantized, requantized from the
    calibration samples and checked against the QDQ model itself; the Relus onnxruntime folded
    into quantization ranges come back."""
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    path, x = _fixture("dscnn", onnx_files)

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.samples = iter([{"x": s[None]} for s in x[:100]])

        def get_next(self):
            return next(self.samples, None)

    qdq = tmp_path / "dscnn_qdq.onnx"
    quantize_static(str(path), str(qdq), Reader(), quant_format=QuantFormat.QDQ,
                    activation_type=QuantType.QInt8, weight_type=QuantType.QInt8)
    compiled = import_onnx(qdq, tmp_path / "c", "qdq", calibration=x[:N_CALIBRATION])
    report = compiled.import_report
    assert "Relu" in report.onnx_ops and "QuantizeLinear" not in report.onnx_ops
    (out,) = report.calibration.outputs
    assert out.top1 is not None and out.top1 >= 0.99 and out.sqnr_db > 20
    tflite_model = report.tflite_path.read_bytes()
    for sample in np.random.default_rng(1).integers(-128, 128, (10, 1, 16, 10, 1),
                                                    dtype=np.int8):
        np.testing.assert_array_equal(compiled.run([sample])[0],
                                      run_tflm(tflite_model, [sample])[0])
