"""The real server (uvicorn subprocess): a smoke test of the CLI and the HTTP path, and
durability: kill -9 during ingestion, restart on the same database, nothing acknowledged is
lost and nothing is counted twice."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest

from microforge.fleet.db import make_engine, session_factory
from microforge.fleet.migrate import upgrade
from microforge.fleet.registry import add_device, register_model
from microforge.fleet.tokens import create_token
from tests.fleet.records import KwsFleet, device_key
from tests.fleet.server_process import Server

CBOR = {"Content-Type": "application/cbor"}


def prepare(tmp_path: Path, kws: KwsFleet, devices: list[int]) -> tuple[str, str]:
    """A database with the KWS model and the devices: (url, operator token)."""
    db = f"sqlite:///{tmp_path / 'fleet.db'}"
    engine = make_engine(db)
    upgrade(engine)
    factory = session_factory(engine)
    spec = kws.reference.spec
    register_model(factory, kws.reference.to_json(), "kws")
    for device_id in devices:
        add_device(factory, device_id, device_key(device_id), "lab", spec.model_id,
                   spec.model_version)
    token = create_token(factory)
    engine.dispose()
    return db, token


def test_serve_smoke(tmp_path: Path, kws: KwsFleet) -> None:
    db, token = prepare(tmp_path, kws, [1])
    server = Server(db, log=tmp_path / "server.log")
    try:
        auth = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{server.url}/api/devices").status_code == 401
        for seq in (1, 2):
            r = httpx.post(f"{server.url}/api/telemetry", content=kws.record(1, seq),
                           headers=CBOR)
            assert r.status_code == 202, r.text
        r = httpx.post(f"{server.url}/api/telemetry", content=kws.record(1, 2), headers=CBOR)
        assert r.json()["status"] == "duplicate"
        devices = httpx.get(f"{server.url}/api/devices", headers=auth).json()
        assert [(d["device_id"], d["records"], d["last_seq"]) for d in devices] == [(1, 2, 2)]
    finally:
        server.stop()


@pytest.mark.slow
def test_kill_9_during_ingestion_loses_nothing_acknowledged(tmp_path: Path,
                                                            kws: KwsFleet) -> None:
    devices = [1, 2, 3, 4]
    per_device = 400
    db, token = prepare(tmp_path, kws, devices)
    records = {d: [kws.record(d, seq) for seq in range(1, per_device + 1)] for d in devices}
    acked: dict[int, set[int]] = {d: set() for d in devices}
    server = Server(db, log=tmp_path / "server.log")
    enough = threading.Event()

    def device(device_id: int) -> None:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            for seq, data in enumerate(records[device_id], start=1):
                try:
                    r = client.post("/api/telemetry", content=data, headers=CBOR)
                except httpx.TransportError:
                    return  # the server is gone
                assert r.status_code == 202, r.text
                acked[device_id].add(seq)
                if sum(len(a) for a in acked.values()) >= 300:
                    enough.set()

    threads = [threading.Thread(target=device, args=(d,)) for d in devices]
    for t in threads:
        t.start()
    assert enough.wait(120), "the server acknowledged fewer than 300 records"
    server.kill()
    for t in threads:
        t.join(30)
    total_acked = sum(len(a) for a in acked.values())
    assert 300 <= total_acked < len(devices) * per_device  # killed mid-way

    server = Server(db, log=tmp_path / "server.log")
    try:
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.url, timeout=30, headers=auth) as client:
            stored = {d["device_id"]: d for d in client.get("/api/devices").json()}
            for d in devices:
                # every acknowledged record is there; at most the one in flight more
                assert acked[d] == set(range(1, len(acked[d]) + 1))
                assert stored[d]["records"] in (len(acked[d]), len(acked[d]) + 1)
                assert stored[d]["last_seq"] == stored[d]["records"]
            # the devices resend what was not acknowledged: stored once each, nothing twice
            statuses = []
            for d in devices:
                for seq in range(len(acked[d]) + 1, per_device + 1):
                    r = client.post("/api/telemetry", content=records[d][seq - 1],
                                    headers=CBOR)
                    statuses.append(r.json()["status"])
            assert statuses.count("duplicate") == sum(
                stored[d]["records"] - len(acked[d]) for d in devices)
            after = client.get("/api/devices").json()
            assert [x["records"] for x in after] == [per_device] * len(devices)
            timeline = client.get("/api/devices/1/timeline", params={"limit": 10_000}).json()
            assert [t["seq"] for t in timeline] == list(range(1, per_device + 1))
    finally:
        server.stop()


@pytest.mark.slow
def test_two_worker_processes_share_one_database(tmp_path: Path, kws: KwsFleet) -> None:
    """`serve --workers 2`: records of 4 devices, each sent twice over separate connections
    (so the copies can reach both processes), are stored once each."""
    devices = [1, 2, 3, 4]
    db, token = prepare(tmp_path, kws, devices)
    server = Server(db, log=tmp_path / "server.log", workers=2)
    statuses: list[str] = []

    def device(device_id: int) -> None:
        for seq in range(1, 16):
            for _ in range(2):
                with httpx.Client(base_url=server.url, timeout=30) as client:
                    r = client.post("/api/telemetry", content=kws.record(device_id, seq),
                                    headers=CBOR)
                statuses.append(r.json()["status"])

    try:
        threads = [threading.Thread(target=device, args=(d,)) for d in devices]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        listed = httpx.get(f"{server.url}/api/devices",
                           headers={"Authorization": f"Bearer {token}"}).json()
    finally:
        server.stop()
    assert sorted(statuses) == ["accepted"] * 60 + ["duplicate"] * 60
    assert [d["records"] for d in listed] == [15] * len(devices)
