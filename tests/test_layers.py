"""The layer contract (pyproject.toml [tool.importlinter]) holds on the source, and a back-edge
added to a scratch copy of the package breaks it: `make lint` would fail on such a change."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.is_file(),
                                reason="import-linter is not installed (pip install -e '.[dev]')")


def _lint(src: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
                          capture_output=True, text=True, env=env, cwd=config.parent)


def _scratch_copy(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "microforge", src / "microforge",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.o"))
    config = tmp_path / "pyproject.toml"
    shutil.copyfile(ROOT / "pyproject.toml", config)
    return src, config


def test_the_source_keeps_the_layers(tmp_path: Path) -> None:
    src, config = _scratch_copy(tmp_path)
    result = _lint(src, config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "imported"), [
    ("ir/graph.py", "microforge.runners.host"),      # the core importing a runner
    ("codegen/compiler.py", "microforge.measure.verify"),  # the compiler importing measurement
    ("pipeline/stages.py", "microforge.report.writer"),    # a stage rendering the report
])
def test_a_back_edge_breaks_the_contract(tmp_path: Path, module: str, imported: str) -> None:
    src, config = _scratch_copy(tmp_path)
    target = src / "microforge" / module
    # a function-level import counts too: hiding an import in a function is no way around it
    target.write_text(target.read_text(encoding="utf-8")
                      + f"\n\ndef _back_edge():\n    import {imported}  # noqa\n",
                      encoding="utf-8")
    result = _lint(src, config)
    assert result.returncode == 1, result.stdout + result.stderr
    importer = "microforge." + module.removesuffix(".py").replace("/", ".")
    assert "BROKEN" in result.stdout and f"{importer} -> {imported}" in result.stdout
