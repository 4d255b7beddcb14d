"""ProjectData: a variant other than PTQ is made above the workspace (project.Project)."""

from __future__ import annotations

import pytest

from microforge.config import parse_config
from microforge.errors import ConfigError
from microforge.workspace.data import ProjectData


def test_qat_needs_the_project_that_runs_it(tmp_path):
    config = parse_config({"dataset": {"path": "d"}, "quantization": {"variant": "qat"}},
                          "microforge.toml", tmp_path)
    assert config.quantization.variant == "qat"
    with pytest.raises(ConfigError, match="quantization.variant = 'qat': run the project"):
        ProjectData(config).int8_variant("qat", None, None, None)  # type: ignore[arg-type]
