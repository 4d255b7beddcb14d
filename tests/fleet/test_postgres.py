"""The same server code on PostgreSQL (a throwaway cluster of Debian's `postgresql`): the
migrations build the declared schema, ingestion and the API answer as on SQLite, and two
writers (two server processes' worth) never store a record twice (row locks)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from microforge.fleet.db import make_engine, session_factory
from microforge.fleet.ingest import Ingestor
from microforge.fleet.migrate import upgrade
from microforge.fleet.registry import add_device, register_model
from microforge.fleet.tables import Base, DeviceRow, RecordRow
from microforge.fleet.writer import GroupWriter
from tests.fleet.postgres import missing, postgres_cluster
from tests.fleet.records import KwsFleet, device_key
from tests.fleet.test_api import setup_fleet

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pg_cluster() -> Iterator[str]:
    why = missing()
    if why:
        pytest.skip(f"PostgreSQL: {why}")
    with postgres_cluster() as url:
        yield url


@pytest.fixture()
def pg_url(pg_cluster: str) -> str:
    engine = make_engine(pg_cluster)
    with engine.begin() as c:
        c.exec_driver_sql("DROP SCHEMA public CASCADE")
        c.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return pg_cluster


def test_migrations_build_the_declared_schema_on_postgres(pg_url: str) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    upgrade(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


def test_api_on_postgres(pg_url: str, kws: KwsFleet) -> None:
    from fastapi.testclient import TestClient

    from microforge.fleet.api import create_app
    from microforge.fleet.tokens import create_token

    app = create_app(pg_url)
    token = create_token(app.state.fleet.factory)
    with TestClient(app) as client:
        client.bearer = {"Authorization": f"Bearer {token}"}  # type: ignore[attr-defined]
        setup_fleet(client, kws)
        assert client.get("/api/devices").status_code == 401
        cbor = {"Content-Type": "application/cbor"}
        for seq in range(1, 5):
            for device_id in (1, 2, 3):
                r = client.post("/api/telemetry", content=kws.record(
                    device_id, seq, drifted=device_id == 3), headers=cbor)
                assert r.status_code == 202, r.text
        r = client.post("/api/telemetry", content=kws.record(1, 4), headers=cbor)
        assert r.json()["status"] == "duplicate"
        r = client.post("/api/telemetry", content=kws.record(1, 4, period=5), headers=cbor)
        assert (r.status_code, r.json()["reason"]) == (409, "replay")
        r = client.post("/api/telemetry", content=kws.record(1, 2, period=5), headers=cbor)
        assert r.json()["reason"] in ("replay", "stale")
        devices = client.get("/api/devices", headers=client.bearer).json()
        assert [d["records"] for d in devices] == [4, 4, 4]
        assert devices[2]["alerts"] > 0 and devices[0]["model_id"] == kws.reference.spec.model_id
        drift = client.get("/api/drift?by=cohort", headers=client.bearer).json()
        assert {g["cohort"]: g["records"] for g in drift} == {"field": 4, "lab": 8}
    app.state.fleet.dispose()


def test_two_writers_never_store_a_record_twice(pg_url: str, kws: KwsFleet) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    factory = session_factory(engine)
    spec = kws.reference.spec
    register_model(factory, kws.reference.to_json())
    devices = list(range(1, 9))
    for d in devices:
        add_device(factory, d, device_key(d), "lab", spec.model_id, spec.model_version)
    writers = [GroupWriter(make_engine(pg_url)) for _ in range(2)]
    ingestor = Ingestor(engine)
    for w in writers:
        w.start()

    def device(d: int) -> list[str]:
        statuses = []
        for seq in range(1, 16):
            checked = ingestor.check(kws.record(d, seq))
            # the same record through both writers at once, as a resend that reached the
            # other worker: one stores it, the other sees a duplicate
            futures = [w.submit(checked) for w in writers]
            statuses += sorted(f.result(60).status for f in futures)
        return statuses

    try:
        with ThreadPoolExecutor(len(devices)) as pool:
            results = list(pool.map(device, devices))
    finally:
        for w in writers:
            w.stop()
            w.engine.dispose()
    assert results == [["accepted", "duplicate"] * 15] * len(devices)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(RecordRow)) == 15 * len(devices)
        assert set(s.scalars(select(DeviceRow.records))) == {15}
    engine.dispose()
