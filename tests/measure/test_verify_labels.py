"""`verify PROJECT --labels` on UCI HAR: the test split streamed through the C pipeline on the
emulated Cortex-M4; the on-device accuracy per class it reports equals the Python pipeline's
(StreamingPipeline + TFLM), computed here on the same windows."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from microforge.cli import main
from microforge.targets.toolchain import toolchain_available
from tests.e2e.test_pipeline_c import BOARD, PROJECTS

WINDOWS = 60


@pytest.mark.slow
@pytest.mark.skipif(not toolchain_available("arm"), reason="arm toolchain not installed")
def test_verify_labels_on_uci_har_equals_the_python_accuracy(shared_data: Path, tmp_path: Path,
                                                             tf, tflm, capsys,
                                                             monkeypatch) -> None:
    from microforge.cli import console
    from microforge.measure.project_inputs import load_project_inputs
    from microforge.pipeline.profile_stage import DISABLE_ENV
    from microforge.postprocess import StreamingPipeline
    from microforge.project import Project
    from microforge.runners.model_runners import TflmRunner

    monkeypatch.setenv(DISABLE_ENV, "0")
    toml = tmp_path / "microforge.toml"
    toml.write_text(PROJECTS["uci_har"].format(data=shared_data, board=BOARD))
    Project.from_toml(toml).run()
    capsys.readouterr()
    monkeypatch.setattr(console, "width", 200)
    assert main(["verify", str(toml), "-b", BOARD, "--labels", "--inputs", str(WINDOWS)]) == 0
    out = capsys.readouterr().out

    inputs = load_project_inputs(toml, WINDOWS)  # the same test windows
    assert inputs.held_out and "test recordings" in inputs.source
    t = inputs.trained
    python = StreamingPipeline(t.block, TflmRunner(t.model_bytes), t.labels, t.stride,
                               t.postprocess)
    true, predicted = [], []
    for signal, label in zip(inputs.recordings, inputs.labels, strict=True):
        for decision in python.run(signal):
            true.append(label)
            predicted.append(decision.label)
    true, predicted = np.asarray(true), np.asarray(predicted)
    assert len(true) == WINDOWS
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in re.split(r"[│|]", line) if c.strip()]
        if len(cells) == 4 and cells[2].endswith("%") and cells[1].replace(",", "").isdigit():
            rows[cells[0]] = cells
    assert "all" in rows, out
    for index, name in [*enumerate(t.labels), (None, "all")]:
        mask = np.ones(len(true), bool) if index is None else true == index
        if not mask.any():
            assert name not in rows
            continue
        expected = f"{100 * float((predicted[mask] == true[mask]).mean()):.2f} %"
        assert rows[name] == [name, str(int(mask.sum())), expected, expected], (name, out)
    assert "held-out" in out and "TRAINING" not in out
    with capsys.disabled():
        print(f"\nverify --labels, UCI HAR: {WINDOWS} test windows, on-device accuracy "
              f"{rows['all'][2]} == Python {rows['all'][3]}; per class: "
              + ", ".join(f"{r[0]} {r[2]}" for n, r in rows.items() if n != "all"))


def test_without_a_held_out_split_the_inputs_say_training_data(tmp_path: Path) -> None:
    """Cross-validation without validation: the final model trains on every recording, so
    what verify streams is training data, and it says so."""
    from microforge.measure.project_inputs import load_project_inputs
    from tests.measure.project_fixture import fake_run_outputs, write_project

    toml = write_project(tmp_path)
    toml.write_text(toml.read_text().replace("[split]", "[split]\nfolds = 2"))
    import json

    from microforge.workspace.data import ProjectData

    classes = list(ProjectData.from_toml(toml).load()[0].classes)
    (fake_run_outputs(toml) / "labels.json").write_text(json.dumps(classes))
    inputs = load_project_inputs(toml)
    assert not inputs.held_out and "TRAINING data" in inputs.source
    assert len(inputs.labels) == len(inputs.recordings) == 16
    assert sorted(set(inputs.labels)) == [0, 1, 2, 3]
