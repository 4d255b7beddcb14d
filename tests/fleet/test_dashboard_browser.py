"""The dashboard in a real browser (Playwright driving Debian's Chromium) against a real
server: unauthenticated pages are 401, the login form signs in, and the figures the pages
show (table cells, chart marks) equal the API's; screenshots of the charts are taken."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest

from tests.conftest import require_module
from tests.fleet.records import KwsFleet
from tests.fleet.server_process import Server
from tests.fleet.test_server import prepare

CHROMIUM = "/usr/bin/chromium"
CBOR = {"Content-Type": "application/cbor"}

pytestmark = pytest.mark.slow


def chromium() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have Debian's chromium")
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    return path


def test_dashboard_in_chromium(tmp_path: Path, kws: KwsFleet) -> None:
    require_module("playwright")
    from playwright.sync_api import sync_playwright

    executable = chromium()
    db, token = prepare(tmp_path, kws, [1, 2, 3])
    server = Server(db, log=tmp_path / "server.log")
    auth = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(base_url=server.url, timeout=30) as api:
            for seq in range(1, 9):
                for device_id in (1, 2, 3):
                    data = kws.record(device_id, seq, drifted=device_id == 3 and seq > 4)
                    assert api.post("/api/telemetry", content=data,
                                    headers=CBOR).status_code == 202
            devices = api.get("/api/devices", headers=auth).json()
            timeline = api.get("/api/devices/3/timeline", headers=auth).json()
            alerts = api.get("/api/alerts", headers=auth).json()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable,
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            for path in ("/", "/devices/3"):
                response = page.goto(server.url + path)
                assert response is not None and response.status == 401
            assert page.locator("#token").count() == 1
            page.fill("#token", "not the token")
            page.click("#sign-in")
            assert "not valid" in page.locator("#message").inner_text()
            page.fill("#token", token)
            page.click("#sign-in")
            page.wait_for_selector("#devices")
            assert page.locator("#device-count").inner_text() == str(len(devices))
            assert page.locator("#alert-count").inner_text() == str(len(alerts))
            for d in devices:
                row = page.locator(f'tr[data-device="{d["device_id"]}"]')
                assert row.locator('[data-field="records"]').inner_text() == str(d["records"])
                assert row.locator('[data-field="alerts"]').inner_text() == str(d["alerts"])
            page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)

            page.click('a[href="/devices/3"]')
            page.wait_for_selector('svg[data-chart="estimated accuracy"]')
            chart = page.locator('svg[data-chart="estimated accuracy"]')
            shown = [float(v) for v in chart.locator("circle.point").evaluate_all(
                "els => els.map(e => e.getAttribute('data-value'))")]
            assert shown == pytest.approx([t["estimated_accuracy"] for t in timeline],
                                          rel=1e-3)
            cells = page.locator('svg[data-chart="feature drift"] rect.cell')
            assert cells.count() == len(timeline) * len(timeline[0]["feature_psi"])
            box = chart.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 100
            chart.screenshot(path=str(tmp_path / "accuracy.png"))
            page.locator('svg[data-chart="feature drift"]').screenshot(
                path=str(tmp_path / "heatmap.png"))
            browser.close()
        for name in ("overview.png", "accuracy.png", "heatmap.png"):
            png = (tmp_path / name).read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    finally:
        server.stop()
