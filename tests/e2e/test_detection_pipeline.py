"""A FOMO detection project through the stages: the generated detection set (squares and discs
pasted on textured backgrounds at known centroids, tests/data/images.py) -> `microforge run`
(image block, FOMO trained with augmentation, int8 in TFLM, centroid precision/recall/F1 in
report.json and report.html, the frame library measured on the target board) -> `microforge
compile` (the frame library) -> `microforge verify --board stm32f746g_disco` (host and the
emulated Cortex-M7 equal to the Python twin on every test image)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microforge.cli import main
from tests.data.images import detection_set, digits_folder

PROJECT = """
[project]
name = "shapes"
[dataset]
path = "data"
[split]
val_fraction = 0.0   # FOMO training uses no validation set
[dsp]
block = "image"
[dsp.params]
width = 48
height = 48
frame_format = "grayscale"
fit = "stretch"
[model]
architecture = "fomo"
dropout = 0.0
[training]
epochs = 20
batch_size = 16
learning_rate = 0.01
augment = true
[detection]
threshold = 0.5
match_distance = 8.0
[target]
board = "stm32f746g_disco"
compare = []
"""


@pytest.fixture(scope="module")
def shapes_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shapes_project")
    detection_set(root / "data", n_images=96, size=48)
    (root / "microforge.toml").write_text(PROJECT)
    return root


def test_fomo_needs_a_detection_dataset(tmp_path, capsys):
    digits_folder(tmp_path / "data", per_class=20, classes=(0, 1))
    (tmp_path / "microforge.toml").write_text(PROJECT.replace('name = "shapes"',
                                                              'name = "digits"'))
    assert main(["run", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "needs a detection dataset" in err and "bounding_boxes.labels" in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_fomo_project_run_report_compile_and_verify(shapes_project, tf, tflm, capsys):
    from microforge.targets.toolchain import toolchain_available

    arm = toolchain_available("arm")
    assert main(["run", str(shapes_project)]) == 0
    run = shapes_project / "build" / "shapes"
    report = json.loads((run / "report.json").read_text())
    det = report["detection"]["final"]
    assert det["images"] == 24 and det["objects"] > 0
    f1 = det["int8"]["overall"]["f1"]
    assert f1 > 0.5, det  # 20 epochs on 72 images: measured 0.80
    assert {c["name"] for c in det["int8"]["per_class"]} == {"square", "disc"}
    html = (run / "report.html").read_text()
    assert "Object detection: fomo" in html and "int8 (TFLM)" in html
    c_lib = report["c_library"]
    if arm:  # the frame library measured on the target board: C == the twin, C's F1 == int8's
        assert c_lib["absent"] is None, c_lib["absent"]
        assert c_lib["c_python"]["agreeing"] == c_lib["c_python"]["windows"] == 24
        assert c_lib["c_python"]["host_agreeing"] == 24
        assert c_lib["c_detection"]["overall"] == det["int8"]["overall"]
    capsys.readouterr()
    assert main(["compile", str(shapes_project)]) == 0
    assert (run / "c_pipeline" / "shapes_frame.h").is_file()
    assert "mf_shapes_detect_frame" in capsys.readouterr().out
    if not arm:
        pytest.skip("arm-none-eabi-gcc / qemu-system-arm not installed (make toolchain)")
    assert main(["verify", str(shapes_project), "--board", "stm32f746g_disco"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "OK: 24 test images of the final split" in out
    assert "on 24 on the host (gcc -O2) and 24 on stm32f746g_disco" in out
    with capsys.disabled():
        print(f"\nFOMO project: int8 centroid F1 {f1:.2f}; {out[:600]}")
