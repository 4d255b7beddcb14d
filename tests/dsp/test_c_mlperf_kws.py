"""The MLPerf Tiny KWS preset in generated C: golden features, and accuracy with the reference
model when DSP, quantisation, model and argmax all run in generated C on the host."""

from __future__ import annotations

import ctypes
import shutil

import numpy as np
import pytest

import microforge
from microforge.dsp import mlperf_kws_preset
from microforge.dsp.quantize import quantize_features
from microforge.runners.dsp_host import CompiledDsp
from microforge.runners.host import gcc_compile
from tests.dsp.c_data import KWS_APP_C, kws_expected, kws_glue, speech_clips

# Measured (gcc -O2, x86-64): max |C - golden| 3.1e-5 (Python preset: 7.5e-6) over the 5 clips (values -124..23);
# max |C - Python| 2.4e-4 over all 300 subset clips; int8 features identical to the golden ones.
GOLDEN_ATOL = 1e-4
BOUNDARY = 1e-3


def _golden_clips(shared_data):
    import soundfile

    golden = np.load(shared_data / "models/mlperf_kws/frontend_golden.npz")
    root = shared_data / "datasets/speech_commands_subset"
    clips = []
    for name in golden["file_names"]:
        audio, _ = soundfile.read(root / str(name), dtype="float32")
        clips.append(np.pad(audio, (0, 16000 - len(audio))))
    return golden, np.stack(clips)[..., None]


def test_c_preset_reproduces_the_golden_features(shared_data):
    golden, x = _golden_clips(shared_data)
    block = mlperf_kws_preset().fit(x, 16000)
    features = CompiledDsp(block.emit_c("mf_kws_dsp")).transform(x)
    reference = golden["features_float32"][..., 0]
    assert np.abs(features - reference).max() <= GOLDEN_ATOL
    scale, zero_point = float(golden["input_scale"]), int(golden["input_zero_point"])
    q = quantize_features(features, scale, zero_point, "truncate")
    differs = q != golden["features_int8"][..., 0]
    # only where the float value sits within 1e-3 of a rounding (truncation) boundary
    position = reference / np.float32(scale) + np.float32(zero_point)
    near_boundary = np.abs(position - np.round(position)) < BOUNDARY
    assert not np.any(differs & ~near_boundary)
    assert np.count_nonzero(differs) <= 2


@pytest.mark.slow
@pytest.mark.parametrize("fixed_point", [False, True])
def test_kws_accuracy_entirely_in_generated_c(shared_data, tmp_path, fixed_point):
    x, words = speech_clips(shared_data)
    assert len(words) == 300
    block = mlperf_kws_preset().fit(x, 16000)
    model_path = shared_data / "models/mlperf_kws/kws_ref_model.tflite"
    model = microforge.compile(model_path, tmp_path / "model", name="kws")
    detail = model.input_details(0)
    scale, zero_point = detail["quantization"]
    src = tmp_path / "src"
    shutil.copytree(tmp_path / "model", src)
    block.emit_c("mf_kws_dsp", fixed_point=fixed_point).write(src)
    (src / "kws_glue.c").write_text(kws_glue("mf_kws_dsp", "kws", scale, zero_point))
    so = tmp_path / "libkws.so"
    gcc_compile(src, so, ["-O2", "-shared", "-fPIC"])
    label = ctypes.CDLL(str(so)).kws_label
    label.restype = ctypes.c_int
    label.argtypes = [ctypes.c_void_p]
    x = np.ascontiguousarray(x, dtype=np.float32)
    predicted = np.array([label(clip.ctypes.data_as(ctypes.c_void_p)) for clip in x])
    assert predicted.min() >= 0
    accuracy = float(np.mean(predicted == kws_expected(words)))
    print(f"KWS top-1 in generated C (host, fixed_point={fixed_point}): {accuracy:.4f}")
    assert accuracy >= 0.97


@pytest.mark.slow
@pytest.mark.parametrize("fixed_point", [False, True])
def test_kws_accuracy_on_the_emulated_cortex_m4(shared_data, tmp_path, fixed_point):
    from microforge.runners.firmware import FirmwareSource, build_firmware
    from microforge.runners.mcu import run_firmware
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("arm-none-eabi-gcc / qemu-system-arm not installed (make toolchain)")
    x, words = speech_clips(shared_data)
    block = mlperf_kws_preset().fit(x, 16000)
    model = microforge.compile(shared_data / "models/mlperf_kws/kws_ref_model.tflite",
                               tmp_path / "model", name="kws")
    scale, zero_point = model.input_details(0)["quantization"]
    src = tmp_path / "src"
    shutil.copytree(tmp_path / "model", src)
    block.emit_c("mf_kws_dsp", fixed_point=fixed_point).write(src)
    (src / "kws_glue.c").write_text(kws_glue("mf_kws_dsp", "kws", scale, zero_point))
    source = FirmwareSource(sources=sorted(src.glob("*.c")), include_dirs=[src],
                            app_c=KWS_APP_C.format(count=len(x)), name="kws")
    image = build_firmware("nucleo_l4r5zi", source, tmp_path / "fw")
    run = run_firmware(image, tmp_path / "fw", {"clips.bin": x.astype(np.float32).tobytes()},
                       timeout=900)
    assert run.exit_code == 0, run.stdout[-2000:]
    predicted = np.frombuffer(run.files["labels.bin"], np.int8).astype(int)
    accuracy = float(np.mean(predicted == kws_expected(words)))
    dsp, net = run.instructions[0::2], run.instructions[1::2]
    print(f"KWS top-1 on Cortex-M4 (fixed_point={fixed_point}): {accuracy:.4f}; "
          f"instructions DSP {np.median(dsp):.0f}, network {np.median(net):.0f}")
    assert len(dsp) == len(net) == len(x)
    assert accuracy >= 0.97
