"""`microforge calibrate` end to end: a keyword-spotting project on the Speech Commands subset
trained briefly by `microforge run`, then calibrated through the CLI. The chosen
post-processing is checked again with the streaming pipeline (postprocess.StreamingPipeline,
the C pipeline's steps) on the tuning stream, and the check stream's DET curve is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microforge.calibrate.project import project_streams
from microforge.calibrate.sweep import score
from microforge.cli import main
from microforge.config import load_config
from microforge.postprocess import PostprocessParams, StreamingPipeline
from microforge.runners.model_runners import TflmRunner
from microforge.workspace.trained import load_trained_project

pytestmark = [pytest.mark.slow, pytest.mark.shared, pytest.mark.train]

# false activations per hour. The streams are about a minute each (the 25 % test speakers'
# clips) and the detector is trained 50 epochs on about 7 clips per keyword, so it
# false-activates often (about 1,000/h at its strictest setting when this was written); at
# this target settings that detect keywords qualify, so the choice is not the trivial one
# (a threshold nothing reaches). A deployed detector is calibrated on hours of audio.
TARGET = 3000.0

PROJECT = """
[project]
name = "kws_calibrate"
output_dir = "{out}"
[dataset]
path = "{data}/datasets/speech_commands_subset"
format = "speech_commands"
sample_rate = 16000
[dataset.speech_commands]
keywords = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
silence = true
silence_clips = 20
[windowing]
window_ms = 1000
stride_ms = 250
padding = "zero"
[split]
seed = 0
test_fraction = 0.25
val_fraction = 0.15
[dsp]
block = "mfcc"
[dsp.params]
preset = "mlperf_kws"
normalize = true
[model]
architecture = "dscnn"
width = 0.5
dropout = 0.2
[training]
epochs = 50
batch_size = 16
learning_rate = 0.002
seed = 0
early_stopping_patience = 0
lr_schedule = "cosine"
class_weights = true
augment = true
[training.augmentation]
shift = 0.1
rotate_degrees = 0
[postprocess]
mode = "detector"
"""


def _detections(trained, params: PostprocessParams, samples) -> list[tuple[int, str]]:
    pipeline = StreamingPipeline(trained.block, TflmRunner(trained.model_bytes),
                                 trained.labels, trained.stride, params)
    return [(int(d.end_sample), trained.labels[d.label]) for d in pipeline.run(samples)
            if d.detected]


def test_calibrate_a_trained_kws_project_through_the_cli(shared_data: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str],
                                                         tf, tflm) -> None:
    config_path = tmp_path / "microforge.toml"
    config_path.write_text(PROJECT.format(data=shared_data.as_posix(),
                                          out=(tmp_path / "build").as_posix()),
                           encoding="utf-8")
    assert main(["run", str(config_path)]) == 0
    capsys.readouterr()

    code = main(["calibrate", str(config_path), "--target", str(TARGET)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "chosen: average_windows" in out and "(check)" in out

    record = json.loads((tmp_path / "build/calibration/calibration.json").read_text())
    chosen = record["chosen"]
    assert chosen["false_activations_per_hour"] <= TARGET
    assert record["check_det_curve"] and record["on_check_stream"] is not None
    assert (tmp_path / "build/calibration/det.png").is_file()

    # the written config carries the chosen parameters, and they meet the target on the
    # tuning stream when decided by the streaming pipeline itself
    calibrated = load_config(tmp_path / "microforge.calibrated.toml")
    post = calibrated.postprocess
    assert (post.mode, post.average_windows, post.threshold, post.suppression_ms) == (
        "detector", chosen["average_windows"], chosen["threshold"], chosen["suppression_ms"])
    trained = load_trained_project(config_path)
    tune, check = project_streams(config_path, seed=0)
    params = PostprocessParams.from_config(post)
    keywords = [k for k in trained.labels if k not in post.ignore_labels]
    window = int(trained.block.fitted_geometry()[1])
    hits, clips, false = score(_detections(trained, params, tune.samples), tune.placements,
                               keywords, window, tune.hours, int(0.25 * tune.sample_rate))
    assert false / tune.hours <= TARGET
    assert (hits, clips, false) == (chosen["hits"], chosen["keywords"],
                                    chosen["false_activations"])
    assert hits > 0, out  # the briefly trained detector finds keywords at that setting
    # the check stream's figures are those of the same parameters on other clips
    on_check = record["on_check_stream"]
    hits, clips, false = score(_detections(trained, params, check.samples), check.placements,
                               keywords, window, check.hours, int(0.25 * check.sample_rate))
    assert (hits, clips, false) == (on_check["hits"], on_check["keywords"],
                                    on_check["false_activations"])
