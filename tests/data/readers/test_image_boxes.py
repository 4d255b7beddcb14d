from __future__ import annotations

import json

import pytest
from PIL import Image

from microforge.data import DatasetSpec, load_dataset
from microforge.data.load import detect_format
from microforge.errors import DataError
from tests.data.images import detection_set


def test_edge_impulse_bounding_boxes(tmp_path):
    root, truth = detection_set(tmp_path / "det", n_images=12)
    assert detect_format(root) == "image_boxes"
    dataset = load_dataset(DatasetSpec(root))
    assert dataset.classes == ["background", "disc", "square"]
    assert sorted(set(dataset.groups())) == ["scene0", "scene1", "scene2", "scene3"]
    for rec in dataset.recordings:
        name = rec.source.rsplit("/", 1)[-1]
        got = sorted((o.label, *o.centroid) for o in rec.objects)
        assert got == sorted(truth[name])
        assert rec.label == ("background" if not got else rec.label)


def test_centroid_csv(tmp_path):
    Image.new("L", (20, 10)).save(tmp_path / "a_1.png")
    Image.new("L", (20, 10)).save(tmp_path / "b_1.png")
    (tmp_path / "boxes.csv").write_text("image,label,x,y\na_1.png,bee,5,5\na_1.png,bee,15,2\n")
    dataset = load_dataset(DatasetSpec(tmp_path))
    objects = {r.source.rsplit("/", 1)[-1]: r.objects for r in dataset.recordings}
    assert [o.centroid for o in objects["a_1.png"]] == [(5.0, 5.0), (15.0, 2.0)]
    assert objects["b_1.png"] == ()
    assert dataset.classes == ["background", "bee"]


def test_boxes_for_a_missing_image(tmp_path):
    Image.new("L", (8, 8)).save(tmp_path / "a.png")
    (tmp_path / "bounding_boxes.labels").write_text(json.dumps(
        {"boundingBoxes": {"gone.png": [{"label": "x", "x": 1, "y": 1, "width": 2,
                                          "height": 2}]}}))
    with pytest.raises(DataError, match=r"not in the folder, e\.g\. gone\.png"):
        load_dataset(DatasetSpec(tmp_path))


def test_object_outside_the_image(tmp_path):
    Image.new("L", (8, 8)).save(tmp_path / "a.png")
    (tmp_path / "boxes.csv").write_text("image,label,x,y\na.png,x,30,1\n")
    with pytest.raises(DataError, match=r"outside the 8x8 image"):
        load_dataset(DatasetSpec(tmp_path))


def test_bad_label_file(tmp_path):
    Image.new("L", (8, 8)).save(tmp_path / "a.png")
    (tmp_path / "bounding_boxes.labels").write_text("{}")
    with pytest.raises(DataError, match=r"not an Edge Impulse bounding-box file"):
        load_dataset(DatasetSpec(tmp_path))
