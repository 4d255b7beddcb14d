"""Bad input to a classical or anomaly project through the CLI: one line naming the field or
the data and what to do, exit code 2, no traceback, and no run folder written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from microforge.cli import main
from tests.pipeline.classical_fixture import write_classical_project


def _no_training_data_for_idle(root: Path) -> Path:
    """Every recording of "idle" in the test split: the class has no training windows."""
    toml = write_classical_project(root, "random_forest")
    groups = sorted(p.stem for p in (root / "dataset" / "idle").glob("*.csv"))
    text = toml.read_text().replace(
        "[split]\n", f"[split]\ntest_groups = [{', '.join(repr(g) for g in groups)}]\n"
        .replace("'", '"'))
    text = re.sub(r"test_fraction = .*\n", "", text)
    toml.write_text(text)
    return toml


def _infinite_features(root: Path) -> Path:
    """A finite sample of 3e38 scaled by the raw block's scale 10: an infinite feature."""
    toml = write_classical_project(root, "decision_tree")
    toml.write_text(toml.read_text().replace('[dsp]\nblock = "spectral"',
                                             '[dsp]\nblock = "raw"\n\n[dsp.params]\nscale = 10.0'))
    csv = sorted((root / "dataset" / "normal").glob("*.csv"))[0]
    lines = csv.read_text().splitlines()
    cells = lines[5].split(",")
    lines[5] = ",".join([cells[0], "3e38", *cells[2:]])
    csv.write_text("\n".join(lines) + "\n")
    return toml


def _unknown_architecture(root: Path) -> Path:
    return write_classical_project(root, "k_nearest_neighbours")


def _unknown_detector(root: Path) -> Path:
    return write_classical_project(root, anomaly={"detector": "one_class_svm",
                                                  "normal_labels": ["idle"]})


def _unknown_normal_label(root: Path) -> Path:
    return write_classical_project(root, anomaly={"detector": "kmeans",
                                                  "normal_labels": ["idle", "healthy"]})


CASES = {
    "class with no training windows": (_no_training_data_for_idle,
                                       "training split: class 'idle' has no training windows"),
    "infinite features": (_infinite_features, "NaN or infinite features cannot be classified"),
    "unsupported architecture": (_unknown_architecture,
                                 "model.architecture: unknown architecture "
                                 "'k_nearest_neighbours'; choose one of"),
    "unsupported detector": (_unknown_detector, "anomaly.detector: unknown anomaly detector "
                                                "'one_class_svm'; choose one of kmeans"),
    "normal label not in the dataset": (_unknown_normal_label,
                                        "anomaly.normal_labels: 'healthy' is not a label"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["train", "run"])
def test_bad_classical_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch, case: str,
                                         command: str) -> None:
    monkeypatch.setenv("MICROFORGE_REPORT_PROFILE", "0")
    make, expected = CASES[case]
    toml = make(tmp_path)
    code = main([command, str(toml)])
    raw = capsys.readouterr().err
    err = " ".join(raw.split())
    assert code == 2, err
    assert len(raw.strip().splitlines()) <= 3, raw  # one message (rich may wrap it)
    assert expected in err, err
    assert "Traceback" not in err and err.startswith("error:"), err
    assert not (tmp_path / "build").exists()


def test_the_unknown_architecture_error_lists_every_classical_kind(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from microforge.classical.kinds import KINDS

    assert main(["train", str(_unknown_architecture(tmp_path))]) == 2
    err = " ".join(capsys.readouterr().err.split())
    for name in ["dense", "cnn1d", *KINDS.names()]:
        assert name in err
