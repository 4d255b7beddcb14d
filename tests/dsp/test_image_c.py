"""Generated image block C == Python: the uint8 pixels bit-exact for every frame format, fit
and resize; the float features equal too (one float32 multiply and add per pixel, no FMA in
C99 ISO mode: measured 0 difference; the stated tolerance is 1 ulp)."""

from __future__ import annotations

import itertools
import shutil
import subprocess

import numpy as np
import pytest

from microforge.dsp import make_block
from microforge.dsp.image_ops import frame_bytes
from microforge.runners.dsp_host import CompiledDsp
from microforge.runners.host import WARNING_FLAGS
from microforge.runners.image_host import CompiledImage
from tests.data.images import digits_folder

FORMATS = ("rgb888", "rgb565", "rgb565be", "yuyv", "grayscale")


def _frames(fmt: str, w: int, h: int, n: int = 3, seed: int = 0) -> list[bytes]:
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, frame_bytes(fmt, w, h), dtype=np.uint8).tobytes()
            for _ in range(n)]


@pytest.mark.parametrize(("fmt", "color", "resize", "fit"), [
    *[(f, c, "bilinear", "crop") for f, c in itertools.product(FORMATS, ("rgb", "grayscale"))],
    ("rgb565", "rgb", "nearest", "letterbox"), ("yuyv", "grayscale", "nearest", "stretch"),
    ("rgb888", "rgb", "bilinear", "letterbox"), ("grayscale", "grayscale", "bilinear", "stretch"),
])
def test_frame_pixels_bit_exact(fmt, color, resize, fit):
    w, h = 40, 30
    block = make_block("image", {"width": 24, "height": 20, "color": color, "resize": resize,
                                 "fit": fit, "frame_format": fmt})
    block.fit(np.zeros((1, h, w, 1 if fmt == "grayscale" else 3), np.float32))
    frames = _frames(fmt, w, h)
    compiled = CompiledImage(block.emit_c("mf_cam"))
    expected = np.stack([block.frame_pixels(f) for f in frames])
    np.testing.assert_array_equal(compiled.frame_pixels(frames), expected)
    lut = (np.arange(256) // 2 - 128).astype(np.int8)
    np.testing.assert_array_equal(compiled.frame_input(frames, lut), lut[expected])


@pytest.mark.parametrize("normalize", ["unit", "signed", "raw"])
def test_window_features_equal_on_real_digits(tmp_path, normalize):
    from microforge.data import DatasetSpec, load_dataset, make_windows
    from microforge.data.windowing import WindowSpec

    dataset = load_dataset(DatasetSpec(digits_folder(tmp_path, per_class=10, upscale=3)))
    x = make_windows(dataset, WindowSpec(1, 1)).x
    block = make_block("image", {"width": 32, "height": 32, "color": "rgb",
                                 "normalize": normalize}).fit(x)
    c = CompiledDsp(block.emit_c("mf_img")).transform(x.reshape(len(x), -1, 1))
    np.testing.assert_array_equal(c, block.transform(x))


def test_clean_under_asan_ubsan():
    block = make_block("image", {"width": 17, "height": 13, "color": "rgb",
                                 "frame_format": "yuyv", "fit": "letterbox"})
    block.fit(np.zeros((1, 21, 34, 3), np.float32))
    frames = _frames("yuyv", 34, 21, seed=5)
    got = CompiledImage(block.emit_c("mf_cam"), sanitize=True).frame_pixels(frames)
    np.testing.assert_array_equal(got, np.stack([block.frame_pixels(f) for f in frames]))


def test_compiles_strictly_for_cortex_m7(tmp_path):
    cc = shutil.which("arm-none-eabi-gcc")
    if cc is None:
        pytest.skip("arm-none-eabi-gcc not installed (make toolchain)")
    block = make_block("image", {"frame_format": "rgb565", "color": "rgb"})
    block.fit(np.zeros((1, 120, 160, 3), np.float32))
    block.emit_c("mf_cam").write(tmp_path)
    for source in sorted(tmp_path.glob("*.c")):
        cmd = [cc, *WARNING_FLAGS, "-mcpu=cortex-m7", "-mthumb", "-mfpu=fpv5-d16",
               "-mfloat-abi=hard", "-O2", "-c", str(source), "-I", str(tmp_path),
               "-o", str(tmp_path / f"{source.stem}.o")]
        result = subprocess.run(cmd, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
