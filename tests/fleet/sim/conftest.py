"""The simulator's model for the tests: examples/fleet_har copied into a temp folder (data
from the shared folder, outputs in the temp folder), trained and compiled once per session
(about 30 s), shared by the xdist workers."""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path

import pytest

from microforge.fleet.sim.model import SimModel, load_sim_model

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "fleet_har" / "microforge.toml"


def sim_project(shared: Path, folder: Path) -> Path:
    """The example project in `folder`, reading the shared UCI HAR data."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^path = ".*"$', f'path = "{shared / "datasets" / "uci_har_test"}"',
                  text)
    text = re.sub(r'(?m)^output_dir = ".*"$', f'output_dir = "{folder / "build"}"', text)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "microforge.toml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def sim_project_dir(shared_data: Path, tf, tflm, tmp_path_factory: pytest.TempPathFactory
                    ) -> Path:
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with open(root / "fleet_sim.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        folder = sim_project(shared_data, root / "fleet_sim")
        load_sim_model(folder)  # trains and compiles once; later loads reuse the run
    return folder


@pytest.fixture(scope="session")
def sim_model(sim_project_dir: Path) -> SimModel:
    return load_sim_model(sim_project_dir)
