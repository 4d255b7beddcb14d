"""[model] tflite: a model trained elsewhere, used with the project's DSP, evaluation, report
and C pipeline; bad paths and mismatched models are one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from microforge.cli import main
from microforge.pipeline.profile_stage import DISABLE_ENV
from tests.measure.project_fixture import train_project, write_project


def _external(root: Path, model: Path) -> Path:
    toml = write_project(root)
    shutil.copy(model, root / "their_model.tflite")
    toml.write_text(toml.read_text().replace("[model]", '[model]\ntflite = "their_model.tflite"'))
    return toml


@pytest.mark.slow
def test_a_model_trained_elsewhere_runs_through_the_project(tmp_path: Path, monkeypatch,
                                                           tf, tflm, capsys) -> None:
    from microforge.library.assemble import compile_project

    monkeypatch.setenv(DISABLE_ENV, "0")
    own = train_project(tmp_path / "own")  # stands in for "elsewhere": same data and DSP
    own_report = json.loads((own.parent / "build/report.json").read_text())
    toml = _external(tmp_path / "ext", own.parent / "build/model_int8.tflite")
    from microforge.cli import console

    monkeypatch.setattr(console, "width", 250)
    capsys.readouterr()
    assert main(["run", str(toml)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "trained elsewhere" in out and "their_model.tflite" in out
    report = json.loads((toml.parent / "build/report.json").read_text())
    assert report["external_model"]["tflite"].endswith("their_model.tflite")
    assert report["float"] is None
    assert report["int8"]["accuracy"] == own_report["int8"]["accuracy"]
    assert report["int8"]["confusion"] == own_report["int8"]["confusion"]
    html = (toml.parent / "build/report.html").read_text()
    assert "trained elsewhere" in html
    library = compile_project(toml, tmp_path / "lib")
    assert (tmp_path / "lib" / f"{library.name}_pipeline.c").is_file()


def test_missing_external_model_is_one_line(tmp_path: Path, capsys) -> None:
    toml = write_project(tmp_path)
    toml.write_text(toml.read_text().replace("[model]", '[model]\ntflite = "nope.tflite"'))
    assert main(["run", str(toml)]) == 2
    err = capsys.readouterr().err.strip()
    assert "model.tflite:" in err and "nope.tflite: no such file" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_external_model_with_other_inputs_is_one_line(shared_data: Path, tmp_path: Path,
                                                      tflm, capsys) -> None:
    hello = shared_data / "models/tflm_hello_world/hello_world_int8.tflite"
    toml = _external(tmp_path, hello)
    assert main(["run", str(toml)]) == 2
    err = capsys.readouterr().err.strip()
    assert "takes 1 inputs but the DSP block (raw) gives 384 features" in err, err
    assert len(err.splitlines()) == 1
