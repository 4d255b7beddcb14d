"""The issue's acceptance in a real browser: `fleet serve` (a subprocess) + the simulator
with a mixed fleet; the dashboard (Chromium through Playwright) shows alerts for the
drifting devices and cohorts and none for the others, as /api/alerts does."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from microforge.fleet.sim.run import SimSettings, simulate
from tests.conftest import require_module
from tests.fleet.server_process import Server
from tests.fleet.sim.test_run import fresh_db
from tests.fleet.test_dashboard_browser import chromium

pytestmark = pytest.mark.slow


def test_dashboard_shows_the_drifting_devices(tmp_path: Path, sim_project_dir: Path) -> None:
    require_module("playwright")
    from playwright.sync_api import sync_playwright

    executable = chromium()
    db, token = fresh_db(tmp_path)
    server = Server(db, log=tmp_path / "server.log")
    try:
        summary = simulate(SimSettings(server=server.url, token=token, devices=4, duration=8,
                                       interval=1.0, scenario="mixed",
                                       project=sim_project_dir,
                                       secret_file=tmp_path / "sim.key"))
        drifting = {i for i, s in summary.devices.items() if s != "none"}
        steady = set(summary.devices) - drifting
        assert len(drifting) == 2 and len(steady) == 2  # held-out subjects, gain drift
        auth = {"Authorization": f"Bearer {token}"}
        alerts = httpx.get(f"{server.url}/api/alerts?limit=10000", headers=auth).json()
        assert {a["device_id"] for a in alerts} == drifting
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable,
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(server.url + "/login")
            page.fill("#token", token)
            page.click("#sign-in")
            page.wait_for_selector("#devices")
            assert page.locator("#device-count").inner_text() == "4"
            assert page.locator("#alert-count").inner_text() == str(len(alerts))
            for device_id in drifting | steady:
                cell = page.locator(f'tr[data-device="{device_id}"] [data-field="alerts"]')
                shown = int(cell.inner_text())
                assert (shown > 0) == (device_id in drifting), (device_id, shown)
                assert shown == sum(a["device_id"] == device_id for a in alerts)
            for cohort in ("held_out_subjects", "gain_drift"):
                row = page.locator(f'tr[data-cohort="{cohort}"] td.alert')
                assert "feature" in row.inner_text(), cohort
            assert page.locator('tr[data-cohort="none"] td.alert').inner_text().strip() == ""
            page.screenshot(path=str(tmp_path / "fleet.png"), full_page=True)
            drifted = min(drifting)
            page.goto(f"{server.url}/devices/{drifted}")
            page.wait_for_selector('svg[data-chart="estimated accuracy"]')
            rows = page.locator("#alerts tr").count() - 1  # minus the header
            assert rows == min(50, sum(a["device_id"] == drifted for a in alerts))  # 50 newest
            page.screenshot(path=str(tmp_path / "drifting_device.png"), full_page=True)
            browser.close()
        assert (tmp_path / "fleet.png").stat().st_size > 10_000
    finally:
        server.stop()
