"""The staged pipeline end to end on a small synthetic CSV dataset, and its failure modes."""

from __future__ import annotations

import json
import tomllib

import pytest

from microforge.cli import main
from microforge.config import parse_config
from microforge.data.synthetic import MachineDatasetParams, write_machine_dataset
from microforge.project import Project

CONFIG = """
[project]
name = "tiny"
[dataset]
path = "dataset"
format = "csv"
timestamp_column = "timestamp"
[windowing]
window_ms = 1280
stride_ms = 640
padding = "drop"
[split]
test_fraction = 0.25
val_fraction = 0.25
[dsp]
block = "raw"
[dsp.params]
normalize = true
[training]
epochs = 4
early_stopping_patience = 0
augment = true
[quantization]
representative_samples = 32
[target]
board = "raspberry_pi_pico"
compare = []
"""


@pytest.fixture(scope="module")
def project_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    params = MachineDatasetParams(recordings_per_class=6, duration_s=4.0)
    write_machine_dataset(root / "dataset", seed=1, params=params)
    (root / "microforge.toml").write_text(CONFIG)
    return root


@pytest.mark.slow
def test_run_writes_every_output_with_real_figures(project_dir, tf, tflm):
    out = project_dir / "out"
    (out / "search").mkdir(parents=True)  # another command's folder: carried over by run
    (out / "search" / "study.db").write_bytes(b"a study")
    (out / "stale.txt").write_text("not the run's")
    assert main(["run", str(project_dir / "microforge.toml"), "--out", str(out)]) == 0
    assert (out / "search" / "study.db").read_bytes() == b"a study"
    assert not (out / "stale.txt").exists()
    for name in ("model.keras", "model_int8.tflite", "model_float.tflite", "dsp.json",
                 "labels.json", "manifest.json", "report.json", "report.html",
                 "tflm/model_data.h", "tflm/model_data.cc"):
        assert (out / name).is_file(), name
    report = json.loads((out / "report.json").read_text())
    assert report["model"]["int8_tflite_bytes"] == (out / "model_int8.tflite").stat().st_size
    assert report["model"]["macs"] > 1000
    assert report["tflm_arena"]["total"] > report["tflm_arena"]["head"] > 0
    assert 0.0 <= report["int8"]["accuracy"] <= 1.0
    manifest = json.loads((out / "manifest.json").read_text())
    splits = {}
    for sample in manifest["samples"]:
        splits.setdefault(sample["group"], set()).add(sample["split"])
    assert all(len(parts) == 1 for parts in splits.values())  # no group in two splits
    header = (out / "tflm" / "model_data.h").read_text()
    assert "MODEL_ARENA_SIZE" in header


@pytest.mark.slow
def test_stages_one_by_one_match_the_config(project_dir, tf, tflm):
    out = project_dir / "staged"
    toml = str(project_dir / "microforge.toml")
    assert main(["quantize", toml, "--out", str(out)]) == 2  # nothing trained yet
    assert not out.exists()
    assert main(["train", toml, "--out", str(out)]) == 0
    assert (out / "model.keras").is_file() and not (out / "model_int8.tflite").exists()
    assert main(["quantize", toml, "--out", str(out)]) == 0
    assert (out / "model_int8.tflite").is_file() and (out / "model.keras").is_file()
    assert main(["export", toml, "--out", str(out)]) == 0
    assert (out / "tflm" / "model_data.cc").is_file()


def test_failed_run_leaves_previous_outputs_intact(project_dir, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("last good run")
    config = tomllib.loads(CONFIG)
    config["dataset"]["path"] = str(tmp_path / "no_such_folder")
    project = Project(parse_config(config, "inline", project_dir))
    with pytest.raises(Exception) as info:
        project.run(out)
    assert "no_such_folder" in str(info.value)
    assert (out / "keep.txt").read_text() == "last good run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda root: (root / "dataset" / "empty_class").mkdir(), "empty_class"),
        (lambda root: (root / "dataset" / "idle" / "run99.csv").write_text("1,2\n3\n"), "run99.csv"),
    ],
)
def test_bad_dataset_is_a_one_line_error_and_nothing_is_written(tmp_path, capsys, mutate, expected):
    write_machine_dataset(tmp_path / "dataset", seed=2, params=MachineDatasetParams(3, 3.0))
    (tmp_path / "microforge.toml").write_text(CONFIG)
    mutate(tmp_path)
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "microforge.toml"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.slow
def test_demo_command_prints_the_summary(tmp_path, capsys, tf, tflm):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for figure in ("float accuracy", "int8 accuracy", "model bytes (int8 .tflite)",
                   "TFLM arena (measured)", "board arduino_nano_33_ble_sense"):
        assert figure in printed
    report = json.loads((out / "report.json").read_text())
    assert report["int8"]["accuracy"] >= 0.8  # measured 89-100 % over seeds 0-3 (docs/data.md)
    assert (tmp_path / "demo-data" / "dataset").is_dir()
