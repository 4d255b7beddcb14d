from __future__ import annotations

from pathlib import Path

import pytest

from tests.monitor.har import Har, train_har


@pytest.fixture(scope="session")
def har(shared_data: Path, tf) -> Har:
    return train_har(shared_data)
