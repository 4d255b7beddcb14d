"""Bad input to a classical or anomaly project through the CLI: one line naming the field or
the data and what to do, exit code 2, no traceback, and no run folder written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from microforge.classical.trained import reference_of
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


def test_compile_and_deploy_a_trained_classical_project(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROFORGE_REPORT_PROFILE", "0")
    toml = write_classical_project(tmp_path, "gradient_boosting")
    assert main(["train", str(toml)]) == 0
    capsys.readouterr()
    assert main(["compile", str(toml)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "mf_tiny_cl_predict (classical model)" in out and "classical model" in out
    assert (tmp_path / "build" / "c_pipeline" / "tiny_cl_pipeline.h").is_file()
    assert (tmp_path / "build" / "c_pipeline" / "tiny_cl.c").is_file()
    assert main(["deploy", str(toml), "--format", "cmake", "-o", str(tmp_path / "pkg")]) == 0
    readme = (tmp_path / "pkg" / "README.md").read_text()
    assert "| model | gradient_boosting (scikit-learn)" in readme
    assert main(["quantize", str(toml)]) == 2
    assert "no quantize stage" in " ".join(capsys.readouterr().err.split())


DETECTOR_PARAMS = {"isolation_forest": {"n_estimators": 20},
                   "autoencoder": {"autoencoder_units": 16, "autoencoder_bottleneck": 4,
                                   "autoencoder_epochs": 60}}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("qemu-system-arm") is None, reason="QEMU is not installed")
@pytest.mark.parametrize("detector", list(DETECTOR_PARAMS))
def test_verify_and_profile_a_detector_project(tmp_path: Path, detector: str,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROFORGE_REPORT_PROFILE", "0")
    toml = write_classical_project(tmp_path, anomaly={"detector": detector,
                                                      "normal_labels": ["idle", "normal"],
                                                      **DETECTOR_PARAMS[detector]})
    assert main(["train", str(toml)]) == 0
    capsys.readouterr()
    # Cortex-M4F, and Cortex-M0+ (no FPU: the DSP in fixed point, the model's float in software)
    for board in ("nucleo_l4r5zi", "raspberry_pi_pico"):
        assert main(["verify", str(toml), "--board", board, "--labels"]) == 0
        out = " ".join(capsys.readouterr().out.split())
        reference = reference_of(detector)
        assert f"C decisions equal the Python pipeline ({reference}) on 100.00 %" in out
        assert f"the {detector} model's C decides as {reference} on 20 of 20" in out
        assert f"on {board}" in out
    assert main(["profile", str(toml), "--board", "raspberry_pi_pico"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "raspberry_pi_pico" in out and "fixed-point DSP" in out


def test_optimize_is_for_networks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = write_classical_project(tmp_path, "decision_tree")
    assert main(["optimize", str(toml)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "a classical model or anomaly detector has none" in err and "Traceback" not in err
