"""`microforge run` on an event dataset (recordings + annotations, label map) end to end."""

from __future__ import annotations

import json

import pytest

from microforge.cli import main
from tests.data.test_events import event_dataset

CONFIG = """
[project]
name = "events"
[dataset]
path = "dataset"
format = "events"
timestamp_column = "timestamp"
[dataset.events]
event_offset_ms = 100
[dataset.label_map]
pulse = ["P", "p"]
dip = ["D"]
[windowing]
window_ms = 400
stride_ms = 400
[split]
test_fraction = 0.25
val_fraction = 0.25
[dsp]
block = "raw"
[training]
epochs = 3
early_stopping_patience = 0
[quantization]
representative_samples = 16
[target]
board = "raspberry_pi_pico"
compare = []
"""


def test_inspect_shows_events_and_what_was_dropped(tmp_path, capsys):
    event_dataset(tmp_path / "dataset", subjects=2, recordings=1)
    (tmp_path / "microforge.toml").write_text(CONFIG)
    assert main(["data", "inspect", str(tmp_path / "dataset"), "--timestamp-column",
                 "timestamp", "--window-ms", "400"]) == 0
    out = capsys.readouterr().out
    assert "(events)" in out and "whose window does not fit" in out


@pytest.mark.slow
def test_run_trains_on_event_windows(tmp_path, tf, tflm):
    truth = event_dataset(tmp_path / "dataset", subjects=4, recordings=2)
    (tmp_path / "microforge.toml").write_text(CONFIG)
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "microforge.toml"), "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["classes"] == ["pulse", "dip"]
    assert len(manifest["samples"]) == sum(t[3] != "X" for t in truth)
    parts: dict[str, set] = {}
    for sample in manifest["samples"]:
        assert "@" in sample["source"] and sample["length"] == 40
        parts.setdefault(sample["group"], set()).add(sample["split"])
    assert sorted(parts) == ["s0", "s1", "s2", "s3"]
    assert all(len(p) == 1 for p in parts.values())
    report = json.loads((out / "report.json").read_text())
    assert 0.0 <= report["int8"]["accuracy"] <= 1.0
