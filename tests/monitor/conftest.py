from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from tests.monitor.har import Har, load_har, save_har, train_har


@pytest.fixture(scope="session")
def har(shared_data: Path, tf, tmp_path_factory: pytest.TempPathFactory) -> Har:
    """Trained once per test session: under xdist the first worker trains and saves the model
    in the session's shared temp folder, the others load it."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    cache = root / "monitor_har"
    with open(root / "monitor_har.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (cache / "model_int8.tflite").is_file():
            return load_har(shared_data, cache)
        trained = train_har(shared_data)
        save_har(trained, cache)
        return trained
