"""compile_project / load_trained: what a project run must leave, one-line errors otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from microforge.cli import main
from microforge.dsp import make_block
from microforge.errors import ConfigError
from microforge.library.assemble import compile_pipeline, load_trained
from microforge.postprocess import PostprocessParams

TOML = """
[project]
name = "tiny-demo"
output_dir = "out"
[dataset]
path = "data"
[windowing]
window_ms = {window_ms}
stride_ms = 250
[postprocess]
mode = "detector"
threshold = 0.5
"""


def _project(tmp_path: Path, window_ms: int = 1000, trained: bool = True) -> Path:
    toml = tmp_path / "microforge.toml"
    toml.write_text(TOML.format(window_ms=window_ms))
    if trained:
        out = tmp_path / "out"
        out.mkdir()
        block = make_block("raw", {}).fit(np.zeros((2, 100, 3), np.float32), 100.0)
        (out / "dsp.json").write_text(json.dumps({"block": "raw", "state": block.state_dict()}))
        (out / "labels.json").write_text(json.dumps(["a", "b"]))
        (out / "model_int8.tflite").write_bytes(b"not used here")
    return toml


def test_load_trained_reads_the_run_and_the_current_config(tmp_path: Path) -> None:
    trained = load_trained(_project(tmp_path))
    assert trained.name == "tiny_demo"  # a C identifier
    assert trained.stride == 25 and trained.block.win_len == 100
    assert trained.labels == ["a", "b"]
    assert trained.postprocess == PostprocessParams("detector", 1, 0.5, 0.0,
                                                    ("_silence_", "_unknown_"))


def test_untrained_project_is_a_one_line_error(tmp_path: Path, capsys) -> None:
    toml = _project(tmp_path, trained=False)
    with pytest.raises(ConfigError, match="model_int8.tflite: not found; train the project"):
        load_trained(toml)
    assert main(["compile", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "not found" in err and "Traceback" not in err


def test_window_length_changed_since_training(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="windowing.window_ms: 200 samples now"):
        load_trained(_project(tmp_path, window_ms=2000))


def test_tflite_needs_an_output_folder(tmp_path: Path, capsys) -> None:
    assert main(["compile", str(tmp_path / "m.tflite")]) == 2
    assert "--out" in capsys.readouterr().err


def test_model_and_block_must_fit(shared_data: Path, tmp_path: Path) -> None:
    block = make_block("raw", {}).fit(np.zeros((1, 100, 1), np.float32), 100.0)
    model = shared_data / "models/mlperf_kws/kws_ref_model.tflite"
    with pytest.raises(ConfigError, match="gives 100 features but the model takes 490"):
        compile_pipeline(block, model, ["x"] * 12, 10, PostprocessParams(), tmp_path / "o")
    assert not (tmp_path / "o").exists()
