from __future__ import annotations

from PIL import Image

from microforge.data import DatasetSpec
from microforge.data.image_inspect import inspect_images
from tests.data.images import detection_set, digits_folder


def test_inspect_digits_and_contact_sheet(tmp_path):
    root = digits_folder(tmp_path / "digits", per_class=10, classes=(0, 1, 2))
    sheet = tmp_path / "sheet.png"
    report = inspect_images(DatasetSpec(root), sheet)
    assert [(c.name, c.images, c.groups) for c in report.classes] == [
        ("0", 10, 2), ("1", 10, 2), ("2", 10, 2)]
    assert report.sizes == {"16x16": 30} and report.channels == ("gray",)
    assert report.problems == []
    with Image.open(sheet) as image:
        assert image.size[1] == 3 * 64  # one row per class
        assert image.size[0] > 8 * 64


def test_inspect_detection_counts_objects(tmp_path):
    root, truth = detection_set(tmp_path / "det", n_images=12)
    report = inspect_images(DatasetSpec(root), tmp_path / "s.png")
    counts = {c.name: c.objects for c in report.classes}
    for label in ("disc", "square"):
        assert counts[label] == sum(1 for objs in truth.values() for o in objs if o[0] == label)


def test_mixed_sizes_and_single_group_are_reported(tmp_path):
    (tmp_path / "a").mkdir()
    Image.new("L", (8, 6)).save(tmp_path / "a" / "g_1.png")
    Image.new("L", (8, 8)).save(tmp_path / "a" / "g_2.png")
    report = inspect_images(DatasetSpec(tmp_path))
    assert any(p.startswith("mixed image sizes") for p in report.problems)
    assert any("class a comes from a single group" in p for p in report.problems)
    assert report.contact_sheet is None
