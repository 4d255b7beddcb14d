"""A model trained elsewhere behind the image block: the shared MLPerf Tiny ResNet-8 (CIFAR-10,
32x32 RGB int8) fed from camera frames (RGB565 and YUYV, 160x120) of real photographs
(scikit-learn's two bundled photos, china.jpg and flower.jpg, cut into 18 crops: no CIFAR-10
images ship in the shared data); the compiled frame library's labels and scores equal the
Python twin (FramePipeline: the block's integer path, TFLM) on every frame, on the host
(gcc -O2) and on the emulated Cortex-M7; and `microforge compile MODEL --frame` writes it."""

from __future__ import annotations

import numpy as np
import pytest

from microforge.dsp.image_ops import encode_frame
from microforge.errors import ConfigError
from microforge.library.frame_assemble import FramePipeline
from microforge.library.frame_model import compile_frame_model, infer_normalize

CIFAR10 = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
           "truck")
FRAME = (160, 120)  # width, height: a QQVGA camera


def _photo_crops() -> list[np.ndarray]:
    datasets = pytest.importorskip("sklearn.datasets")
    crops = []
    for image in datasets.load_sample_images().images:  # 427 x 640 RGB photographs
        for y in (0, 150, 300):
            for x in (0, 240, 480):
                crops.append(np.ascontiguousarray(image[y:y + FRAME[1], x:x + FRAME[0]]))
    return crops


@pytest.fixture(scope="module")
def resnet8(shared_data) -> bytes:
    return (shared_data / "models" / "mlperf_ic" / "pretrainedResnet_quant.tflite").read_bytes()


def test_normalisation_is_read_from_the_input_quantization():
    assert infer_normalize(1.0, -128) == "raw"  # the MLPerf ResNet-8: 0..255
    assert infer_normalize(1 / 255, -128) == "unit"
    assert infer_normalize(2 / 255, 0) == "signed"
    with pytest.raises(ConfigError, match="--normalize"):
        infer_normalize(0.5, 0)


@pytest.mark.parametrize("fmt", ["rgb565", "yuyv"])
def test_resnet8_frames_on_the_host_equal_python(resnet8, tflm, tmp_path, fmt):
    lib, block = compile_frame_model(resnet8, tmp_path / "lib", frame_format=fmt,
                                     frame_size=FRAME, name="ic", labels=CIFAR10)
    assert (block.params.width, block.params.height, block.params.color) == (32, 32, "rgb")
    assert block.params.normalize == "raw"
    from microforge.runners.frame_host import run_frames_on_host

    twin = FramePipeline(block, resnet8, list(CIFAR10))
    frames = [encode_frame(c, fmt) for c in _photo_crops()]
    expected = [twin.classify(f) for f in frames]
    assert run_frames_on_host(lib, frames) == expected
    assert len({label for label, _ in expected}) > 1  # not one constant answer


@pytest.mark.slow  # 2.5-5 s each: QEMU, 18 frames
@pytest.mark.parametrize("fmt", ["rgb565", "yuyv"])
def test_resnet8_frames_on_the_emulated_cortex_m7(resnet8, tflm, tmp_path, fmt, capsys):
    from microforge.runners.frame_mcu import run_frames_on_mcu
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("arm-none-eabi-gcc / qemu-system-arm not installed (make toolchain)")
    lib, block = compile_frame_model(resnet8, tmp_path / "lib", frame_format=fmt,
                                     frame_size=FRAME, name="ic", labels=CIFAR10)
    twin = FramePipeline(block, resnet8, list(CIFAR10))
    frames = [encode_frame(c, fmt) for c in _photo_crops()]
    run = run_frames_on_mcu(lib, "stm32f746g_disco", frames)
    assert run.results == [twin.classify(f) for f in frames]
    with capsys.disabled():
        print(f"\nResNet-8 {fmt} 160x120 on Cortex-M7: {len(frames)} frames equal; "
              f"instructions per frame image block {np.mean(run.dsp_instructions):,.0f}, "
              f"model {np.mean(run.network_instructions):,.0f}; library flash "
              f"{run.image.library_flash_bytes:,} B, RAM {run.image.library_ram_bytes:,} B")


def test_compile_cli_writes_the_frame_library(resnet8, shared_data, tflm, tmp_path, capsys):
    from microforge.cli import main

    model = shared_data / "models" / "mlperf_ic" / "pretrainedResnet_quant.tflite"
    out = tmp_path / "ic"
    assert main(["compile", str(model), "-o", str(out), "--name", "ic", "--frame", "rgb565",
                 "--frame-size", "160x120", "--labels", ",".join(CIFAR10)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "160x120 rgb565 frames -> crop, bilinear -> 32x32 rgb, normalize raw" in printed
    assert (out / "ic_frame.h").is_file() and "mf_ic_classify_frame" in printed
    assert '"airplane"' in (out / "ic_frame.c").read_text()
    for args, message in (
            (["--labels", "a,b"], "2 labels for the model's 10 scores"),
            (["--frame-size", "160"], "WIDTHxHEIGHT"),
            (["--fit", "zoom"], "--fit 'zoom'")):
        assert main(["compile", str(model), "-o", str(tmp_path / "bad"), "--frame", "yuyv",
                     *args]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
    float_model = shared_data / "models" / "mlperf_ic" / "pretrainedResnet.tflite"
    assert main(["compile", str(float_model), "-o", str(tmp_path / "f"), "--frame",
                 "rgb565"]) == 2
    assert "needs an int8 model" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists() and not (tmp_path / "f").exists()


@pytest.mark.slow
def test_verify_cli_streams_an_image_folder_as_camera_frames(shared_data, tflm, tmp_path,
                                                             capsys):
    from PIL import Image

    from microforge.cli import main
    from microforge.targets.toolchain import toolchain_available

    model = shared_data / "models" / "mlperf_ic" / "pretrainedResnet_quant.tflite"
    assert main(["verify", str(model), "--board", "stm32f746g_disco", "--frame",
                 "rgb565"]) == 2
    assert "give both" in capsys.readouterr().err
    if not toolchain_available("arm"):
        pytest.skip("arm-none-eabi-gcc / qemu-system-arm not installed (make toolchain)")
    folder = tmp_path / "photos"
    folder.mkdir()
    for i, crop in enumerate(_photo_crops()):  # already 160x120: the fit is the identity
        Image.fromarray(crop).save(folder / f"crop{i:02d}.png")
    assert main(["verify", str(model), "--board", "stm32f746g_disco", "--frame", "rgb565",
                 "--frame-size", "160x120", "--images", str(folder)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "OK: 18 images of" in out
    assert "on 18 on the host (gcc -O2) and 18 on stm32f746g_disco" in out
