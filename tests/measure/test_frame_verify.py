"""measure/frame_verify.camera_frames: images as a camera of a given size delivers them.
(The verify runs themselves: tests/e2e/test_detection_pipeline.py, tests/library/
test_frame_model.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from microforge.dsp.image_ops import decode_frame
from microforge.errors import ConfigError, DataError
from microforge.measure.frame_verify import camera_frames


def test_images_are_fitted_to_the_frame_and_encoded(tmp_path):
    rng = np.random.default_rng(0)
    (tmp_path / "sub").mkdir()
    wide = rng.integers(0, 256, (30, 80, 3)).astype(np.uint8)
    Image.fromarray(wide).save(tmp_path / "a.png")
    Image.fromarray(np.full((40, 40), 200, np.uint8)).save(tmp_path / "sub" / "b.bmp")
    (tmp_path / "notes.txt").write_text("not an image")
    frames, names = camera_frames(tmp_path, "rgb565", (16, 12))
    assert names == ["a.png", "b.bmp"] and all(len(f) == 16 * 12 * 2 for f in frames)
    gray = decode_frame(frames[1], "rgb565", 16, 12, gray=False)
    assert np.abs(gray.astype(int) - 200).max() <= 7  # 5/6-bit truncation of a flat grey
    assert len(camera_frames(tmp_path / "a.png", "yuyv", (16, 12), max_images=1)[0]) == 1


def test_bad_image_paths_are_one_line(tmp_path):
    with pytest.raises(ConfigError, match="not an image folder"):
        camera_frames(tmp_path / "missing", "rgb888", (8, 8))
    with pytest.raises(DataError, match="no .jpg"):
        camera_frames(tmp_path, "rgb888", (8, 8))
    Image.fromarray(np.zeros((8, 8), np.uint8)).save(tmp_path / "x.png")
    with pytest.raises(ConfigError, match="--inputs must be at least 1"):
        camera_frames(tmp_path, "rgb888", (8, 8), max_images=0)
