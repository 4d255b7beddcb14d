from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from microforge.data import DatasetSpec, load_dataset, make_windows
from microforge.data.load import detect_format
from microforge.data.readers.images import group_of, read_image_folder
from microforge.data.windowing import WindowSpec
from microforge.errors import DataError
from tests.data.images import digits_folder


def test_digits_folder_reads_real_images(tmp_path):
    root = digits_folder(tmp_path / "digits", per_class=10)
    assert detect_format(root) == "images"
    dataset = load_dataset(DatasetSpec(root))
    assert dataset.classes == ["0", "1", "2", "3"]
    assert len(dataset.recordings) == 40 and dataset.channel_names == ("gray",)
    first = dataset.recordings[0]
    assert first.signal.shape == (16, 16, 1) and first.signal.dtype == np.float32
    assert first.signal.min() >= 0 and first.signal.max() <= 255
    assert sorted(set(dataset.groups())) == ["w0", "w1"]
    windows = make_windows(dataset, WindowSpec(window_ms=1000, stride_ms=500))
    assert windows.x.shape == (40, 16, 16, 1)  # windowing ignored: one window per image
    np.testing.assert_array_equal(windows.y, dataset.labels())


@pytest.mark.parametrize("fmt", ["jpg", "bmp"])
def test_jpg_and_bmp(tmp_path, fmt):
    root = digits_folder(tmp_path / "d", per_class=5, classes=(0, 1), fmt=fmt)
    assert len(load_dataset(DatasetSpec(root)).recordings) == 10


def test_rgb_and_gray_mixed_become_rgb(tmp_path):
    for label, mode in (("a", "L"), ("b", "RGB")):
        (tmp_path / label).mkdir()
        Image.new(mode, (6, 4), 100).save(tmp_path / label / "x_1.png")
    dataset = load_dataset(DatasetSpec(tmp_path))
    assert dataset.channel_names == ("red", "green", "blue")
    assert all(r.signal.shape == (4, 6, 3) for r in dataset.recordings)


def test_mixed_sizes_are_resized_to_the_most_common_with_a_note(tmp_path):
    (tmp_path / "a").mkdir()
    for i in range(3):
        Image.new("L", (8, 6), 50).save(tmp_path / "a" / f"s{i}_x.png")
    Image.new("L", (16, 12), 50).save(tmp_path / "a" / "big_x.png")
    dataset = load_dataset(DatasetSpec(tmp_path))
    assert {r.signal.shape for r in dataset.recordings} == {(6, 8, 1)}
    assert any("1 of 4 images resized to 8x6" in n for n in dataset.notes)


def test_unreadable_image_is_one_line(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "broken.png").write_bytes(b"not a png")
    with pytest.raises(DataError, match=r"broken\.png: not a readable image") as info:
        load_dataset(DatasetSpec(tmp_path, format="images"))
    assert "\n" not in str(info.value)


def test_empty_class_folder(tmp_path):
    digits_folder(tmp_path, per_class=2, classes=(0,))
    (tmp_path / "7").mkdir()
    with pytest.raises(DataError, match=r"class folder '7' has no \.jpg/\.png/\.bmp images"):
        read_image_folder(DatasetSpec(tmp_path))


def test_groups_rules(tmp_path):
    from pathlib import Path

    assert group_of(Path("scene3_001.jpg"), None, {}) == "scene3"
    assert group_of(Path("cam-7.jpg"), None, {}) == "cam"
    assert group_of(Path("lone.jpg"), None, {}) == "lone"
    assert group_of(Path("scene3_001.jpg"), "day2", {}) == "day2"
    assert group_of(Path("scene3_001.jpg"), "day2", {"scene3_001.jpg": "g"}) == "g"


def test_groups_file_and_subfolders(tmp_path):
    (tmp_path / "a" / "session1").mkdir(parents=True)
    Image.new("L", (4, 4)).save(tmp_path / "a" / "session1" / "x_1.png")
    Image.new("L", (4, 4)).save(tmp_path / "a" / "y_2.png")
    (tmp_path / "groups.csv").write_text("image,group\ny_2.png,field9\n")
    assert detect_format(tmp_path) == "images"
    groups = sorted(load_dataset(DatasetSpec(tmp_path)).groups())
    assert groups == ["field9", "session1"]
