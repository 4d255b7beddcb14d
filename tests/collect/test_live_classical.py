"""`live` with a classical project: the stream from a (pseudo-terminal) device classified by
the trained scikit-learn pipeline, equal to the same pipeline run offline on the samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.collect.live import load_pipeline, run_live
from microforge.collect.session import open_port
from tests.collect.simulator import PtyDevice
from tests.pipeline.classical_fixture import write_classical_project


def test_classical_project_live_equals_its_pipeline(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from microforge.project import Project

    monkeypatch.setenv("MICROFORGE_REPORT_PROFILE", "0")
    toml = write_classical_project(tmp_path, "decision_tree")
    Project.from_toml(toml).run_stage("train")
    pipeline = load_pipeline(toml)
    with PtyDevice(100.0, axes=3) as device:
        result = run_live(open_port(device.port), pipeline, seconds=3.0)
    offline = pipeline.run(result.samples)
    assert len(offline) >= 2
    assert [(e.label, e.score) for e in result.decisions] == [
        (pipeline.labels[d.label], d.score) for d in offline if d.detected]
