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
    `client.bearer` the header that sends it."""
    from fastapi.testclient import TestClient

    from microforge.fleet.api import create_app
    from microforge.fleet.tokens import create_token

    app = create_app(db_url)
    token = create_token(app.state.fleet.factory, "test")
    with TestClient(app) as c:
        c.token = token  # type: ignore[attr-defined]
        c.bearer = {"Authorization": f"Bearer {token}"}  # type: ignore[attr-defined]
        yield c
    app.state.fleet.dispose()


@pytest.fixture()
def fleet_db(db_url: str, kws: KwsFleet) -> Iterator:
    """A migrated database with the KWS model and devices 1, 2 (cohort "lab") and 3
    (cohort "field") registered: (engine, session factory)."""
    from microforge.fleet.db import make_engine, session_factory
    from microforge.fleet.migrate import upgrade
    from microforge.fleet.registry import add_device, register_model
    from tests.fleet.records import device_key

    engine = make_engine(db_url)
    upgrade(engine)
    factory = session_factory(engine)
    spec = kws.reference.spec
    register_model(factory, kws.reference.to_json(), "kws")
    for device_id, cohort in ((1, "lab"), (2, "lab"), (3, "field")):
        add_device(factory, device_id, device_key(device_id), cohort, spec.model_id,
                   spec.model_version)
    yield engine, factory
    engine.dispose()


from tests.monitor.conftest import har  # noqa: E402,F401 - the trained UCI HAR model (slow tests)
