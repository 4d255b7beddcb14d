"""`simulate` against a real server (a subprocess): a mixed fleet where the drifting devices
alert and the others do not, its counts equal the server's, a second run goes on from the
devices' sequence numbers, and one device on QEMU sends its records through the gateway."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from microforge.errors import ConfigError
from microforge.fleet.db import make_engine, session_factory
from microforge.fleet.migrate import upgrade
from microforge.fleet.sim.run import SimSettings, simulate
from microforge.fleet.sim.scenarios import DRIFTS
from microforge.fleet.tokens import create_token, list_tokens, revoke_token
from tests.fleet.server_process import Server

pytestmark = pytest.mark.slow


def fresh_db(tmp_path: Path) -> tuple[str, str]:
    db = f"sqlite:///{tmp_path / 'fleet.db'}"
    engine = make_engine(db)
    upgrade(engine)
    token = create_token(session_factory(engine), "sim")
    engine.dispose()
    return db, token


def settings(server: Server, token: str, project: Path, tmp_path: Path, **kw) -> SimSettings:
    return SimSettings(server=server.url, token=token, project=project,
                       secret_file=tmp_path / "sim.key", **kw)


def test_mixed_fleet_drifting_devices_alert(tmp_path: Path, sim_project_dir: Path) -> None:
    db, token = fresh_db(tmp_path)
    server = Server(db, log=tmp_path / "server.log")
    try:
        run = settings(server, token, sim_project_dir, tmp_path, devices=10, duration=12,
                       interval=1.5, scenario="mixed")
        summary = simulate(run)
        auth = {"Authorization": f"Bearer {token}"}
        devices = {d["device_id"]: d for d in httpx.get(f"{server.url}/api/devices",
                                                        headers=auth).json()}
        assert sorted(devices) == list(range(1, 11))
        assert summary.sent == summary.accepted == sum(d["records"] for d in devices.values())
        assert not summary.rejected
        assert {d["cohort"] for d in devices.values()} == {"none", *DRIFTS}
        steady_alerting = 0
        for d in devices.values():
            assert d["records"] >= 6, d
            timeline = httpx.get(f"{server.url}/api/devices/{d['device_id']}/timeline",
                                 headers=auth).json()
            flagged = [bool(t["alerts"]) for t in timeline]
            if d["cohort"] == "none":
                steady_alerting += sum(flagged)
            else:  # alerts on most records: all but the first ones of a growing drift
                assert sum(flagged) >= len(flagged) - 2 and flagged[-1], (d, flagged)
        # no shift: an alert on at most 5 % of the records (the bound)
        steady = summary.cohorts["none"]
        assert steady.with_alerts == steady_alerting <= 0.05 * steady.accepted
        # again: the same devices (same keys) go on from their last sequence numbers
        again = simulate(settings(server, token, sim_project_dir, tmp_path, devices=10,
                                  duration=3, interval=1.5, scenario="mixed"))
        assert again.sent == again.accepted > 0 and not again.rejected
        # a revoked token stops the simulator before it sends anything
        factory = session_factory(make_engine(db))
        revoke_token(factory, list_tokens(factory)[0].token_id)
        with pytest.raises(ConfigError, match="refused"):
            simulate(run)
        # another simulator secret: the device ids exist with other keys
        other = create_token(factory, "other")
        with pytest.raises(ConfigError, match="another key"):
            simulate(SimSettings(server=server.url, token=other, project=sim_project_dir,
                                 secret_file=tmp_path / "other.key", devices=1, duration=1))
    finally:
        server.stop()


def test_qemu_device_records_are_accepted(tmp_path: Path, sim_project_dir: Path) -> None:
    if shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None:
        pytest.skip("needs arm-none-eabi-gcc and qemu-system-arm")
    db, token = fresh_db(tmp_path)
    server = Server(db, log=tmp_path / "server.log")
    try:
        summary = simulate(settings(server, token, sim_project_dir, tmp_path, devices=1,
                                    duration=6, interval=1.0, scenario="none",
                                    qemu_device=True))
        devices = {d["device_id"]: d for d in httpx.get(
            f"{server.url}/api/devices", headers={"Authorization": f"Bearer {token}"}).json()}
        qemu = summary.cohorts["qemu"]
        assert qemu.sent == qemu.accepted == 6  # duration / interval periods
        assert devices[2]["cohort"] == "qemu" and devices[2]["records"] == 6
        assert devices[2]["last_seq"] == 6
        assert summary.accepted == summary.sent == devices[1]["records"] + 6
    finally:
        server.stop()
