"""The demo project: its config's output folder is the demo's output, so verify/deploy on the
demo's project folder find the run (the demo run itself: tests/e2e/test_pipeline.py)."""

from pathlib import Path

from microforge.config import load_config
from microforge.demo import write_demo_project
from microforge.workspace.trained import project_config_path


def test_the_demo_project_points_at_the_demo_output(tmp_path: Path) -> None:
    out = tmp_path / "build" / "demo"
    config = write_demo_project(out, seed=3)
    assert config.output_path() == out.resolve()
    path = project_config_path(tmp_path / "build" / "demo-data")
    assert path is not None
    reread = load_config(path)
    assert reread.output_path() == out.resolve()
    assert reread.training.seed == 3 and reread.split.seed == 3
    assert (tmp_path / "build" / "demo-data" / "dataset").is_dir()
