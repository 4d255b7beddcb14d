"""Every shared model whose ops are all implemented: compiled C on the host vs TFLM.

int8 outputs must be bit-exact on 100 seeded random inputs; float32 outputs agree within
rtol 1e-5 (atol 1e-6), the tolerance stated in docs/compiler.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.codegen.compiler import unsupported_ops
from microforge.ir.tflite_reader import read_tflite
from microforge.runners.host import compile_and_load
from microforge.runners.tflm import run_tflm_batch, tflm_interpreter
from tests.ops.tflite_build import random_inputs

FLOAT_RTOL, FLOAT_ATOL = 1e-5, 1e-6
MODELS = [
    "tflm_hello_world/hello_world_int8.tflite",
    "tflm_hello_world/hello_world_float.tflite",
    "mlperf_kws/kws_ref_model.tflite",
    "mlperf_ad/ad01_int8.tflite",
    "mlperf_ad/ad01_fp32.tflite",
    "tflm_micro_speech/micro_speech_quantized.tflite",
    "tflm_magic_wand/magic_wand.tflite",
    "mlperf_ic/pretrainedResnet_quant.tflite",
    "mlperf_ic/pretrainedResnet.tflite",
]


def assert_same(ours: list[np.ndarray], ref: list[np.ndarray], what: str) -> None:
    assert len(ours) == len(ref)
    for a, b in zip(ours, ref, strict=True):
        assert a.shape == b.shape and a.dtype == b.dtype, what
        if a.dtype == np.float32:
            np.testing.assert_allclose(a, b, rtol=FLOAT_RTOL, atol=FLOAT_ATOL, err_msg=what)
        else:
            np.testing.assert_array_equal(a, b, err_msg=what)


def _compile_or_skip(path: Path, out: Path):
    problems = unsupported_ops(read_tflite(path))
    if problems:
        pytest.skip(f"{path.name} needs ops not implemented yet: {'; '.join(problems)}")
    return compile_and_load(path, out, "m")


@pytest.mark.slow
@pytest.mark.parametrize("relative", MODELS)
def test_random_inputs_match_tflm(shared_data: Path, tmp_path: Path, relative: str) -> None:
    path = shared_data / "models" / relative
    model = _compile_or_skip(path, tmp_path / "m")
    data = path.read_bytes()
    n = 100 if path.stat().st_size < 400_000 else 20
    samples = random_inputs(data, n, seed=7)
    reference = run_tflm_batch(data, samples)
    for i, (sample, ref) in enumerate(zip(samples, reference, strict=True)):
        assert_same(model.run(sample), ref, f"{relative} sample {i}")


def test_hello_world_int8_quick(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "models/tflm_hello_world/hello_world_int8.tflite"
    model = compile_and_load(path, tmp_path / "hw")
    samples = [[np.array([[v]], np.int8)] for v in range(-128, 128)]
    for sample, ref in zip(samples, run_tflm_batch(path.read_bytes(), samples), strict=True):
        assert_same(model.run(sample), ref, f"input {int(sample[0][0, 0])}")


def test_kws_golden_features(shared_data: Path, tmp_path: Path) -> None:
    golden = np.load(shared_data / "models/mlperf_kws/frontend_golden.npz")
    path = shared_data / "models/mlperf_kws/kws_ref_model.tflite"
    model = compile_and_load(path, tmp_path / "kws")
    samples = [[x[None]] for x in golden["features_int8"]]
    reference = run_tflm_batch(path.read_bytes(), samples)
    for i, (sample, ref) in enumerate(zip(samples, reference, strict=True)):
        out = model.run(sample)
        assert_same(out, ref, f"clip {i}")
        assert int(np.argmax(out[0])) == int(golden["pred_int8"][i])


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["ad01_int8", "ad01_fp32"])
def test_anomaly_detection_real_input(shared_data: Path, tmp_path: Path, variant: str) -> None:
    folder = shared_data / "models/mlperf_ad"
    path = folder / f"{variant}.tflite"
    hist = np.fromfile(folder / "normal_id_01_00000000_hist_librosa.bin", np.float32)
    frames = hist.reshape(200, 128)
    windows = np.stack([frames[i:i + 5].reshape(640) for i in range(0, 196, 4)])
    model = compile_and_load(path, tmp_path / "ad")
    detail = tflm_interpreter(path.read_bytes()).get_input_details(0)
    if detail["dtype"] == np.int8:
        scale, zero = detail["quantization_parameters"]["scales"][0], \
            detail["quantization_parameters"]["zero_points"][0]
        windows = np.clip(np.round(windows / scale) + zero, -128, 127).astype(np.int8)
    samples = [[w[None]] for w in windows]
    reference = run_tflm_batch(path.read_bytes(), samples)
    for i, (sample, ref) in enumerate(zip(samples, reference, strict=True)):
        assert_same(model.run(sample), ref, f"{variant} window {i}")


@pytest.mark.slow
@pytest.mark.parametrize("relative", [
    "mlperf_kws/kws_ref_model.tflite",
    "tflm_micro_speech/micro_speech_quantized.tflite",
    "mlperf_ic/pretrainedResnet_quant.tflite",
    "tflm_magic_wand/magic_wand.tflite",
])
def test_sanitized_build_matches_tflm(shared_data: Path, tmp_path: Path, relative: str) -> None:
    """AddressSanitizer + UBSan over the in-place kernels and the memory plan."""
    path = shared_data / "models" / relative
    model = _compile_or_skip(path, tmp_path / "m").sanitized()
    data = path.read_bytes()
    samples = random_inputs(data, 3, seed=13)
    for i, (sample, ref) in enumerate(zip(samples, run_tflm_batch(data, samples), strict=True)):
        assert_same(model.run(sample), ref, f"{relative} sample {i} (sanitized)")
