"""(slow) Real images through the whole pipeline: scikit-learn's handwritten digits (upscaled
to 16x16) as a folder of PNGs -> `microforge run` (image block, MobileNet, int8 in TFLM) ->
the C library on the host and on the emulated Cortex-M7 (`microforge verify`), C == Python."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from microforge.cli import main
from tests.data.images import digits_folder

PROJECT = """
[project]
name = "digits"
[dataset]
path = "data"
format = "auto"
[windowing]
window_ms = 1000  # ignored for images
stride_ms = 500
[dsp]
block = "image"
[dsp.params]
width = 16
height = 16
color = "grayscale"
[model]
architecture = "mobilenet"
width = 0.5
dropout = 0.0
[training]
epochs = 8
batch_size = 8
learning_rate = 0.005
early_stopping_patience = 0
[target]
board = "stm32f746g_disco"
compare = []
"""


@pytest.fixture(scope="module")
def digits_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("digits_project")
    digits_folder(root / "data", per_class=25, classes=(0, 1, 2, 3), upscale=2)
    (root / "microforge.toml").write_text(PROJECT)
    return root


@pytest.mark.slow
def test_digits_train_int8_and_c_on_host(digits_project, tf, tflm, capsys, monkeypatch):
    from microforge.library.assemble import compile_project
    from microforge.postprocess import StreamingPipeline
    from microforge.runners.model_runners import TflmRunner
    from microforge.runners.pipeline_host import HostPipeline
    from microforge.workspace.trained import load_trained

    monkeypatch.setenv("MICROFORGE_REPORT_PROFILE", "0")  # the M7 run is the next test
    assert main(["run", str(digits_project)]) == 0
    report = json.loads((digits_project / "build" / "digits" / "report.json").read_text())
    assert report["accuracy"]["int8"]["mean"] > 0.5  # 4 classes: chance is 25 %
    toml = digits_project / "microforge.toml"
    trained = load_trained(toml)
    library = compile_project(toml)
    host = HostPipeline(library)
    python = StreamingPipeline(trained.block, TflmRunner(trained.model_bytes), trained.labels,
                               trained.stride, trained.postprocess)
    from microforge.data import DatasetSpec, load_dataset

    dataset = load_dataset(DatasetSpec(digits_project / "data"))
    hits = total = 0
    for rec in dataset.recordings[::3]:
        flat = rec.signal.reshape(-1, rec.signal.shape[-1])
        c, p = host.run(flat), python.run(flat)
        assert [d.label for d in c] == [d.label for d in p]
        hits += int(c[0].label == dataset.classes.index(rec.label))
        total += 1
    # the library also takes camera frames (RGB888 here): mf_digits_classify_frame == the twin
    import ctypes

    from microforge.library.frame_assemble import FramePipeline
    from microforge.runners.host import gcc_compile

    so = digits_project / "libdigits.so"
    gcc_compile(library.out_dir, so, ["-O2", "-shared", "-fPIC"])
    lib = ctypes.CDLL(str(so))
    twin = FramePipeline(trained.block, trained.model_bytes, trained.labels)
    for rec in dataset.recordings[::5]:
        frame = np.repeat(rec.signal, 3, axis=-1).astype(np.uint8).tobytes()
        label, score = ctypes.c_int32(), ctypes.c_int8()
        assert lib.mf_digits_classify_frame(frame, ctypes.byref(label), ctypes.byref(score)) == 0
        assert (label.value, score.value) == twin.classify(frame)
    with capsys.disabled():
        print(f"\ndigits host: C == Python on {total} images, accuracy {hits / total:.1%}")
    assert hits / total > 0.5  # 4 classes: chance is 25 %


@pytest.mark.slow
def test_digits_on_the_emulated_cortex_m7(digits_project, tf, tflm, capsys):
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("arm-none-eabi-gcc / qemu-system-arm not installed (make toolchain)")
    if not (digits_project / "build" / "digits" / "model_int8.tflite").is_file():
        assert main(["run", str(digits_project)]) == 0
    capsys.readouterr()
    assert main(["verify", str(digits_project), "--board", "stm32f746g_disco", "--labels"]) == 0
    out = capsys.readouterr().out
    with capsys.disabled():
        print("\n" + "\n".join(out.splitlines()[:12]))
    assert "C decisions equal the Python pipeline (TFLM) on 100.00 %" in " ".join(out.split())
    # the camera-frame library (mf_digits_classify_frame) on the host and the M7, every test image
    assert main(["verify", str(digits_project), "--board", "stm32f746g_disco", "--frames"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "classifier (label); 16x16 rgb888 frames" in out
    n = int(out.split(" OK: ")[1].split()[0])
    assert n > 0 and f"on {n} on the host (gcc -O2) and {n} on stm32f746g_disco" in out
    assert "C labels against the images' labels:" in out
