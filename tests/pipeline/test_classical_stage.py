"""Classical projects end to end on the synthetic machine dataset: every classifier kind and
every anomaly detector is trained from microforge.toml, reported, compiled into one C library
whose streamed decisions equal the Python pipeline's (scikit-learn) on every test window, and
whose model C decides as scikit-learn on every test window."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microforge.classical.trained import reference_of
from microforge.errors import ConfigError
from tests.pipeline.classical_fixture import write_classical_project

FAST = {"random_forest", "kmeans"}  # the others (~10 s each) run with the slow tests
KINDS = [pytest.param(k, marks=() if k in FAST else pytest.mark.slow)
         for k in ("decision_tree", "random_forest", "extra_trees", "gradient_boosting",
                   "lightgbm", "logistic_regression", "linear_svm", "gaussian_nb")]
DETECTORS = [pytest.param(d, marks=() if d in FAST else pytest.mark.slow)
             for d in ("kmeans", "gaussian_mixture", "elliptic_envelope", "isolation_forest",
                       "autoencoder")]


@pytest.fixture(autouse=True)
def _no_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROFORGE_REPORT_PROFILE", "0")  # the MCU runs are tests of their own


def _c_equals_python(toml: Path) -> int:
    """Stream the test recordings through the host-built C library and the Python pipeline;
    returns the number of windows (all equal), after the model-only check."""
    from microforge.library.assemble import compile_project
    from microforge.measure.classical_check import check_classical, held_out_features
    from microforge.measure.project_inputs import load_project_inputs
    from microforge.runners.pipeline_host import HostPipeline

    inputs = load_project_inputs(toml)
    t = inputs.trained
    assert t.classical is not None
    library = compile_project(toml)
    assert library.model is None and (library.out_dir / f"{t.name}_pipeline.h").is_file()
    host, python = HostPipeline(library), t.reference_pipeline()
    windows = 0
    for signal in inputs.recordings:
        host.init()
        c, py = host.push(signal), python.run(signal)
        assert c == py
        windows += len(c)
    assert inputs.project is not None
    x, _ = held_out_features(inputs.project, t.block)
    check = check_classical(t.classical, x, "test", "m", None)
    assert check.passed and check.windows == len(x) > 0
    return windows


@pytest.mark.parametrize("kind", KINDS)
def test_every_classical_kind_trains_reports_and_compiles(tmp_path: Path, kind: str) -> None:
    from microforge.project import Project

    toml = write_classical_project(tmp_path, kind)
    summary = Project.from_toml(toml).run()
    report = json.loads((tmp_path / "build" / "report.json").read_text())
    assert report["classical"]["kind"] == kind and report["classical"]["role"] == "classifier"
    assert report["model_config"]["architecture"] == kind
    acc = summary.accuracy("float")
    assert acc is not None and acc[0] == report["accuracy"]["float"]["mean"]
    assert acc[0] > 0.5  # four machine states, chance is 0.25
    fold = report["per_fold_classes"][0]
    assert [c["name"] for c in fold["per_class"]] == report["dataset"]["classes"]
    sizes = report["classical"]["library_sizes"]
    assert sizes["network"]["flash_bytes"] > 0 and sizes["dsp"]["flash_bytes"] > 0
    assert report["boards"] and report["boards"][0]["fits"]
    assert not (tmp_path / "build" / "model_int8.tflite").exists()
    assert _c_equals_python(toml) > 0


@pytest.mark.parametrize("detector", DETECTORS)
def test_every_detector_trains_on_normal_only_reports_and_compiles(tmp_path: Path,
                                                                   detector: str) -> None:
    from microforge.project import Project

    anomaly = {"detector": detector, "normal_labels": ["idle", "normal"],
               "false_alarm_rate": 0.05, "n_clusters": 3, "n_components": 2,
               "covariance_type": "diag", "n_estimators": 20, "autoencoder_units": 16,
               "autoencoder_bottleneck": 4, "autoencoder_epochs": 60}
    # overlapping windows: enough normal ones for a full-rank covariance (elliptic envelope)
    toml = write_classical_project(tmp_path, anomaly=anomaly, stride_ms=160.0)
    summary = Project.from_toml(toml).run()
    report = json.loads((tmp_path / "build" / "report.json").read_text())
    (a,) = report["classical"]["anomaly"]
    assert a["detector"] == detector and a["normal_windows"] > 0 and a["fault_windows"] > 0
    assert 0.0 <= a["roc_auc"] <= 1.0 and a["target_false_alarm_rate"] == 0.05
    assert {f["label"] for f in a["per_fault"]} <= {"imbalance", "bearing_fault"}
    assert json.loads((tmp_path / "build" / "labels.json").read_text()) == ["normal", "anomaly"]
    html = (tmp_path / "build" / "report.html").read_text()
    assert f"Classical model: {detector} (detector, {reference_of(detector)})" in html and "ROC AUC" in html
    metrics = summary.final.float_metrics
    assert metrics is not None and metrics.class_names == ["normal", "anomaly"]
    # the binary confusion agrees with the anomaly figures
    assert metrics.confusion[1].sum() == a["fault_windows"]
    assert metrics.confusion[1, 1] == round(a["detection_rate"] * a["fault_windows"])
    assert _c_equals_python(toml) > 0


def test_cross_validation_keeps_the_final_folds_model(tmp_path: Path) -> None:
    from microforge.project import Project

    toml = write_classical_project(tmp_path, "decision_tree",
                                   split={"seed": 0, "folds": 2, "val_fraction": 0.2})
    summary = Project.from_toml(toml).run()
    assert len(summary.evaluated) == 2
    assert (tmp_path / "build" / "model_classical.joblib").is_file()
    assert _c_equals_python(toml) > 0


def test_classical_projects_have_no_quantize_stage(tmp_path: Path) -> None:
    from microforge.project import Project

    project = Project.from_toml(write_classical_project(tmp_path, "gaussian_nb"))
    project.run_stage("train")
    assert (tmp_path / "build" / "classical.json").is_file()
    with pytest.raises(ConfigError, match="no quantize stage"):
        project.run_stage("quantize")
