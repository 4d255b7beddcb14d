"""(slow: trains two small models.) The frame library (camera frame -> image block C -> int8 model -> label / centroids) equal to
its Python twin (FramePipeline: the image block's integer path, TFLM, the same post-processing)
on every test frame, on the host (gcc -O2)."""

from __future__ import annotations

import ctypes
import dataclasses

import numpy as np
import pytest

from microforge.library.frame_assemble import FramePipeline, compile_frame_pipeline
from microforge.library.frame_emit import input_lut
from microforge.postprocess.params import ScoreQuant
from microforge.runners.host import gcc_compile
from tests.library.vision_models import digits_classifier, fomo_detector, rgb565, yuyv


class _Object(ctypes.Structure):
    _fields_ = [("label", ctypes.c_int32), ("x2", ctypes.c_int32), ("y2", ctypes.c_int32),
                ("frame_x", ctypes.c_int32), ("frame_y", ctypes.c_int32),
                ("score", ctypes.c_int8)]


@pytest.fixture(scope="module")
def classifier(tf, tflm, tmp_path_factory):
    return digits_classifier(tmp_path_factory.mktemp("digits"), epochs=1)


@pytest.fixture(scope="module")
def detector(tf, tflm, tmp_path_factory):
    return fomo_detector(tmp_path_factory.mktemp("fomo"), epochs=2, n_images=24)


def _with_format(block, fmt, images):
    from microforge.dsp.image import ImageBlock

    other = ImageBlock(dataclasses.replace(block.params, frame_format=fmt))
    return other.fit(images)


def _load(lib, tmp_path):
    so = tmp_path / "libframe.so"
    gcc_compile(lib.out_dir, so, ["-O2", "-shared", "-fPIC"])
    return ctypes.CDLL(str(so))


def test_input_table_is_normalise_then_quantize():
    quant = ScoreQuant(0.0078125, -1)
    lut = input_lut(2 / 255, -1.0, quant)
    assert lut[0] == -128 and lut[255] == 127 and np.all(np.diff(lut.astype(int)) >= 0)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["rgb565", "yuyv"])
def test_classifier_frames_c_equals_python(classifier, tmp_path, fmt):
    block, int8, labels, images, _ = classifier
    block = _with_format(block, fmt, images)
    lib = compile_frame_pipeline(block, int8, labels, tmp_path / "lib", name="cam")
    c = _load(lib, tmp_path)
    twin = FramePipeline(block, int8, labels)
    encode = rgb565 if fmt == "rgb565" else yuyv
    # an RGB888 frame gives exactly the model input of the training path (block.transform)
    from microforge.dsp.quantize import quantize_features

    rgb_block = _with_format(block, "rgb888", images)
    q = twin.runner.input_quant
    for image in images[:3]:
        window_path = quantize_features(block.transform(image[None]), q.scale, q.zero_point)
        frame_path = twin.lut[rgb_block.frame_pixels(image.tobytes())]
        np.testing.assert_array_equal(frame_path, window_path[0])
    for image in images:
        frame = encode(image)
        label, score = ctypes.c_int32(), ctypes.c_int8()
        assert c.mf_cam_classify_frame(frame, ctypes.byref(label), ctypes.byref(score)) == 0
        assert (label.value, score.value) == twin.classify(frame)


@pytest.mark.slow
def test_detector_frames_c_equals_python(detector, tmp_path):
    block, int8, labels, images, *_ = detector
    lib = compile_frame_pipeline(block, int8, labels, tmp_path / "lib", name="det",
                                 detector=True, threshold=0.5)
    c = _load(lib, tmp_path)
    c.mf_det_detect_frame.restype = ctypes.c_int32
    twin = FramePipeline(block, int8, labels, detector=True, threshold=0.5)
    objects = (_Object * 36)()
    for image in images:
        frame = image.tobytes()
        n = c.mf_det_detect_frame(frame, objects, 36)
        got = [(o.label, o.x2 / 2, o.y2 / 2, o.frame_x, o.frame_y, o.score)
               for o in objects[:n]]
        assert got == [(o.label, o.x, o.y, o.frame_x, o.frame_y, int(o.score))
                       for o in twin.detect(frame)]


def _camera_frames(images: np.ndarray, width: int, height: int) -> list[bytes]:
    """The 48x48 test images as a camera of another size and aspect ratio would see them."""
    from PIL import Image

    return [np.asarray(Image.fromarray(image[:, :, 0]).resize((width, height),
                                                               Image.Resampling.BILINEAR),
                       np.uint8).tobytes() for image in images]


@pytest.mark.slow
@pytest.mark.parametrize("fit,size", [("crop", (80, 60)), ("letterbox", (64, 40))])
def test_detector_centroids_in_camera_frame_pixels(detector, tmp_path, fit, size):
    """Frames of another size than the model's input, cropped or letterboxed: the C's
    frame_x/frame_y equal the twin's on every frame, and they are the input centroids mapped
    back through the block's fit (inside the frame, the inverse of block.input_point)."""
    from microforge.dsp.image import ImageBlock

    block, int8, labels, images, *_ = detector
    width, height = size
    camera = ImageBlock(dataclasses.replace(block.params, fit=fit))
    camera.fit(np.zeros((1, height, width, 1), np.float32))
    lib = compile_frame_pipeline(camera, int8, labels, tmp_path / "lib", name="det",
                                 detector=True, threshold=0.05)
    c = _load(lib, tmp_path)
    c.mf_det_detect_frame.restype = ctypes.c_int32
    twin = FramePipeline(camera, int8, labels, detector=True, threshold=0.05)
    objects = (_Object * 36)()
    found = 0
    (_, _, x0, xl), (_, _, y0, yl) = camera.fit_axes()  # the input region the frame fills
    for frame in _camera_frames(images, width, height):
        n = c.mf_det_detect_frame(frame, objects, 36)
        got = [(o.label, o.x2 / 2, o.y2 / 2, o.frame_x, o.frame_y, o.score)
               for o in objects[:n]]
        expected = twin.detect(frame)
        assert got == [(o.label, o.x, o.y, o.frame_x, o.frame_y, int(o.score))
                       for o in expected]
        for o in expected:
            assert 0 <= o.frame_x < width and 0 <= o.frame_y < height
            if not (x0 <= o.x <= x0 + xl and y0 <= o.y <= y0 + yl):
                continue  # in the letterbox padding: clamped to the frame's edge
            back = camera.input_point(o.frame_x, o.frame_y)
            scale = max(48 / height, 48 / width)  # input px per frame px, at most
            assert back is not None
            assert abs(back[0] - o.x) <= scale and abs(back[1] - o.y) <= scale
        found += len(expected)
    assert found > 0


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["classifier", "detector"])
def test_frames_on_the_emulated_cortex_m7(classifier, detector, tmp_path, kind, capsys):
    from microforge.runners.frame_mcu import run_frames_on_mcu
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("arm-none-eabi-gcc / qemu-system-arm not installed (make toolchain)")
    if kind == "classifier":
        block, int8, labels, images, _ = classifier
        frames = [rgb565(image) for image in images]
    else:
        block, int8, labels, images, *_ = detector
        frames = [image.tobytes() for image in images]
    detect = kind == "detector"
    lib = compile_frame_pipeline(block, int8, labels, tmp_path / "lib", name="cam",
                                 detector=detect)
    twin = FramePipeline(block, int8, labels, detector=detect)
    run = run_frames_on_mcu(lib, "stm32f746g_disco", frames)
    if detect:
        expected = [[(o.label, o.x, o.y, o.frame_x, o.frame_y, int(o.score))
                     for o in twin.detect(f)] for f in frames]
    else:
        expected = [twin.classify(f) for f in frames]
    assert run.results == expected
    assert min(run.dsp_instructions) > 0 and min(run.network_instructions) > 0
    with capsys.disabled():
        print(f"\n{kind} on Cortex-M7: {len(frames)} frames equal; instructions per frame "
              f"image block {np.mean(run.dsp_instructions):,.0f}, model "
              f"{np.mean(run.network_instructions):,.0f}; firmware flash "
              f"{run.image.flash_bytes:,} B, RAM {run.image.ram_bytes:,} B")
