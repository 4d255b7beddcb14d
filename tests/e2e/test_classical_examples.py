"""The classical example projects on the real datasets in ../shared/data, from microforge.toml
to the verified C library: examples/cwru_anomaly (a K-means detector trained on the healthy
recording only, tested on held-out healthy windows and every fault) and examples/uci_har_forest
(a random forest, here on one held-out subject split). On the emulated Cortex-M4F and
Cortex-M0+ (fixed-point DSP; HAR on the M4F only) the model's C decides as scikit-learn on every held-out window
and the streamed pipeline equals the Python one; deploy writes every format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from microforge.config import load_config
from microforge.project import Project
from microforge.workspace.data import ProjectData

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DATASETS = {"cwru_anomaly": "cwru_bearing", "uci_har_forest": "uci_har_test"}
BOARDS = ("nucleo_l4r5zi", "raspberry_pi_pico")  # Cortex-M4F, Cortex-M0+ (no FPU)

needs_arm = pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None
                               or shutil.which("qemu-system-arm") is None,
                               reason="the Arm toolchain and QEMU are not installed")


def _config(name: str, shared_data: Path, out: Path):
    config = load_config(EXAMPLES / name / "microforge.toml")
    config.dataset.path = str(shared_data / "datasets" / DATASETS[name])
    config.project.output_dir = str(out)
    return config


def _verify_on(name: str, config, out: Path, boards: tuple[str, ...] = BOARDS) -> list:
    from microforge.measure.project_verify import verify_project_on_mcu

    reports = []
    for board in boards:
        report = verify_project_on_mcu(EXAMPLES / name / "microforge.toml", board,
                                       max_windows=24, run_dir=out,
                                       project=ProjectData(config))
        check = report.classical
        assert check is not None and check.windows > 100
        assert check.host_agreeing == check.mcu_agreeing == check.windows, check.mismatches
        assert report.agreeing == report.n_windows == 24, report.mismatches
        assert report.fixed_point == (board == "raspberry_pi_pico") and report.passed
        assert check.instructions_mean is not None and check.instructions_mean > 0
        reports.append(report)
    return reports


@pytest.mark.slow
@needs_arm
def test_cwru_anomaly_example(shared_data: Path, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROFORGE_REPORT_PROFILE", "0")
    out = tmp_path / "out"
    config = _config("cwru_anomaly", shared_data, out)
    Project(config).run()
    report = json.loads((out / "report.json").read_text())
    (a,) = report["classical"]["anomaly"]
    assert a["roc_auc"] >= 0.99  # issue 13's bar for the best detector on CWRU
    assert a["detection_rate"] >= 0.95 and a["fault_windows"] > 500 and a["normal_windows"] > 20
    assert len(a["per_fault"]) == 9  # every fault recording is test-only
    groups: dict[str, set] = {}
    for sample in json.loads((out / "manifest.json").read_text())["samples"]:
        groups.setdefault(sample["split"], set()).add(sample["group"])
    assert not groups["test"] & groups["train"]
    _verify_on("cwru_anomaly", config, out)

    # deploy through the CLI, on a copy of the project whose config names this run
    project_dir = tmp_path / "project"
    project_dir.mkdir()
    text = (EXAMPLES / "cwru_anomaly" / "microforge.toml").read_text()
    text = text.replace('"../../build/cwru_anomaly"', json.dumps(str(out)))
    text = text.replace('"../../../shared/data/datasets/cwru_bearing"',
                        json.dumps(str(shared_data / "datasets" / "cwru_bearing")))
    (project_dir / "microforge.toml").write_text(text)
    from microforge.cli import main

    for fmt in ("c", "arduino", "cmake"):
        assert main(["deploy", str(project_dir), "--format", fmt, "-o",
                     str(tmp_path / fmt)]) == 0
        manifest = json.loads((tmp_path / fmt / "microforge_deploy.json").read_text())
        assert manifest["whole_pipeline"] and manifest["library_flash_bytes"] > 0


@pytest.mark.slow
@needs_arm
def test_uci_har_forest_example_on_a_subject_split(shared_data: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROFORGE_REPORT_PROFILE", "0")
    out = tmp_path / "out"
    config = _config("uci_har_forest", shared_data, out)
    config.split.fold_groups = None
    config.split.test_groups = ["2", "10", "18"]
    config.model.classical.n_estimators = 10
    summary = Project(config).run()
    accuracy = summary.accuracy("float")
    assert accuracy is not None and accuracy[0] > 0.75  # 6 activities: chance 0.17
    _verify_on("uci_har_forest", config, out, BOARDS[:1])  # the M4F; M0+: cwru_anomaly
