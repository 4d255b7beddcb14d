from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fleet.records import KwsFleet, kws_fleet


@pytest.fixture(scope="session")
def kws(shared_data: Path, tflm) -> KwsFleet:
    return kws_fleet(shared_data)


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fleet.db'}"


@pytest.fixture()
def client(db_url: str) -> Iterator:
    """A TestClient of a fresh server; `client.token` is a valid operator token and
    `client.auth` the header that sends it."""
    from fastapi.testclient import TestClient

    from microforge.fleet.api import create_app
    from microforge.fleet.tokens import create_token

    app = create_app(db_url)
    token = create_token(app.state.fleet.factory, "test")
    with TestClient(app) as c:
        c.token = token  # type: ignore[attr-defined]
        c.auth = {"Authorization": f"Bearer {token}"}  # type: ignore[attr-defined]
        yield c
    app.state.fleet.engine.dispose()
