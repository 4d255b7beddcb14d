"""The calibration streams of a project: its held-out clips, split in two by group, with its
background-noise clips between them."""

from __future__ import annotations

import pytest

from microforge.calibrate.project import project_streams

pytestmark = [pytest.mark.shared]

PROJECT = """
[project]
name = "kws"
[dataset]
path = "{data}/datasets/speech_commands_subset"
format = "speech_commands"
sample_rate = 16000
[dataset.speech_commands]
keywords = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
[windowing]
window_ms = 1000
stride_ms = 1000
[split]
seed = 0
test_fraction = 0.25
val_fraction = 0.15
[dsp]
block = "mfcc"
[dsp.params]
preset = "mlperf_kws"
[model]
architecture = "dscnn"
[postprocess]
mode = "detector"
"""


def test_two_streams_of_disjoint_held_out_clips(shared_data, tmp_path):
    path = tmp_path / "microforge.toml"
    path.write_text(PROJECT.format(data=shared_data.as_posix()), encoding="utf-8")
    tune, check = project_streams(path, seed=0)
    for stream in (tune, check):
        labels = {p.label for p in stream.placements}
        assert "_silence_" not in labels and "_unknown_" in labels and labels & {"yes", "no"}
        ends = [p.start + p.length for p in stream.placements]
        starts = sorted(p.start for p in stream.placements)
        assert all(b >= a for a, b in zip(sorted(ends)[:-1], starts[1:], strict=True))
        assert stream.sample_rate == 16000 and stream.samples.shape[1] == 1
        assert len(stream.samples) > sum(p.length for p in stream.placements)  # noise gaps
    # every held-out clip is in exactly one stream: same total as the test split
    from microforge.workspace.data import ProjectData

    project = ProjectData.from_toml(path)
    dataset, _ = project.load()
    groups = set(project.final_fold().test_groups)
    held = [r for r in dataset.recordings if str(r.group) in groups and r.label != "_silence_"]
    assert len(tune.placements) + len(check.placements) == len(held)
