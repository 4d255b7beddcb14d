"""The dashboard pages through TestClient: behind the token (header or the login form's
HttpOnly cookie), and the figures they show equal the API's."""

from __future__ import annotations

import re

import pytest

from tests.fleet.records import KwsFleet
from tests.fleet.test_api import CBOR, setup_fleet


def send_fleet(client, kws: KwsFleet, records: int = 6) -> None:
    setup_fleet(client, kws)
    for seq in range(1, records + 1):
        for device_id in (1, 2, 3):
            data = kws.record(device_id, seq, drifted=device_id == 3 and seq > 3)
            assert client.post("/api/telemetry", content=data, headers=CBOR).status_code == 202
    spec = kws.reference.spec
    client.post("/api/rollouts", headers=client.bearer, json={
        "bundle": "kws-1.1.bin", "model_id": spec.model_id,
        "model_version": spec.model_version, "cohort": "lab"})


def values(html: str, css_class: str) -> list[str]:
    return re.findall(rf'class="{css_class}"[^>]*?data-value="([^"]*)"', html)


def test_pages_need_the_token_and_the_login_form_sets_an_httponly_cookie(client) -> None:
    for path in ("/", "/devices/1"):
        r = client.get(path)
        assert r.status_code == 401 and 'name="token"' in r.text
    r = client.post("/login", content="token=wrong", headers={
        "Content-Type": "application/x-www-form-urlencoded"}, follow_redirects=False)
    assert r.status_code == 401 and "not valid" in r.text
    r = client.post("/login", content=f"token={client.token}", headers={
        "Content-Type": "application/x-www-form-urlencoded"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/").status_code == 200  # the cookie jar now holds it
    r = client.post("/logout", follow_redirects=False)
    assert r.status_code == 303
    client.cookies.clear()
    assert client.get("/").status_code == 401


def test_overview_shows_the_apis_figures(client, kws: KwsFleet) -> None:
    send_fleet(client, kws)
    html = client.get("/", headers=client.bearer).text
    devices = client.get("/api/devices", headers=client.bearer).json()
    for d in devices:
        row = re.search(rf'<tr data-device="{d["device_id"]}">(.*?)</tr>', html, re.S)
        assert row is not None
        cells = dict(re.findall(r'data-field="(\w+)">([^<]*)<', row.group(1)))
        assert int(cells["records"]) == d["records"] and int(cells["alerts"]) == d["alerts"]
        assert int(cells["windows"]) == d["windows"] and cells["last_seen"] == d["last_seen"]
    assert f'<span id="alert-count">{sum(d["alerts"] for d in devices)}</span>' in html
    cohorts = {c["cohort"]: c for c in
               client.get("/api/drift?by=cohort", headers=client.bearer).json()}
    for name, c in cohorts.items():
        row = re.search(rf'<tr data-cohort="{name}">(.*?)</tr>', html, re.S)
        assert row is not None
        shown = float(re.search(r'data-field="estimated_accuracy">([^<]*)<', row.group(1))[1])
        assert shown == pytest.approx(c["estimated_accuracy"], abs=5e-4)
    assert values(html, "bar") == ["2"]  # the rollout funnel: 2 lab devices pending


def test_device_page_charts_equal_the_timeline(client, kws: KwsFleet) -> None:
    send_fleet(client, kws)
    html = client.get("/devices/3", headers=client.bearer).text
    timeline = client.get("/api/devices/3/timeline", headers=client.bearer).json()
    points = re.findall(r'data-series="([^"]+)" data-value="([^"]+)"', html)
    accuracy = [float(v) for s, v in points if s == "estimated accuracy"]
    confidence = [float(v) for s, v in points if s == "mean confidence"]
    assert accuracy == pytest.approx([t["estimated_accuracy"] for t in timeline], rel=1e-3)
    assert confidence == pytest.approx([t["mean_confidence"] for t in timeline], rel=1e-3)
    cells = [float(v) for v in values(html, "cell")]
    by_feature = [t["feature_psi"] for t in timeline]
    expected = [row[f] for f in range(len(by_feature[0])) for row in by_feature]
    assert cells == pytest.approx(expected, rel=1e-3)
    reference = values(html, "reference")
    assert float(reference[0]) == pytest.approx(kws.reference.accuracy, rel=1e-3)
    alerts = client.get("/api/alerts?device_id=3", headers=client.bearer).json()
    table = html[html.index('<table id="alerts">'):]
    shown = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]*)</td>', table)
    assert shown == [(str(a["seq"]), a["kind"]) for a in alerts] and alerts
    assert client.get("/devices/99", headers=client.bearer).status_code == 404
