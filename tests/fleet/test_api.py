"""The JSON API through FastAPI's TestClient: every operator route refuses a request without
a valid token (401), telemetry answers each outcome with its status, and what the API shows
matches the records that were sent."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from microforge.fleet.api import create_app
from microforge.monitor.aggregate import combine
from microforge.monitor.drift import assess
from microforge.monitor.telemetry import verify_record
from tests.fleet.records import KwsFleet, device_key

CBOR = {"Content-Type": "application/cbor"}


def api_routes(routes: list) -> list[APIRoute]:
    """Every APIRoute, also inside included routers (FastAPI >= 0.160 nests them)."""
    out = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append(route)
        elif getattr(route, "original_router", None) is not None:
            out += api_routes(route.original_router.routes)
    return out


OPEN = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout")}  # the login form


def operator_routes() -> list[tuple[str, str]]:
    """Every route of the app but the login form's (POST /api/telemetry is not a FastAPI
    route: fleet/telemetry_endpoint.py)."""
    app = create_app("sqlite://", migrate=False)
    routes = [(method, route.path.replace("{device_id}", "1"))
              for route in api_routes(app.api.routes) for method in sorted(route.methods)]
    assert ("POST", "/api/telemetry") not in routes
    assert set(routes) >= OPEN
    return [r for r in routes if r not in OPEN]


ROUTES = operator_routes()


def setup_fleet(client, kws: KwsFleet) -> None:
    body = {**kws.reference.to_json(), "name": "kws"}
    r = client.post("/api/models", json=body, headers=client.bearer)
    assert r.status_code == 201, r.text
    spec = kws.reference.spec
    assert r.json() == {"model_id": spec.model_id, "model_version": spec.model_version}
    for device_id, cohort in ((1, "lab"), (2, "lab"), (3, "field")):
        r = client.post("/api/devices", headers=client.bearer, json={
            "device_id": device_id, "key_hex": device_key(device_id).hex(), "cohort": cohort,
            "model_id": spec.model_id, "model_version": spec.model_version})
        assert r.status_code == 201, r.text


def test_the_routes_are_all_listed() -> None:
    paths = {p for _, p in ROUTES}
    assert {"/api/models", "/api/devices", "/api/alerts", "/api/drift", "/api/rollouts",
            "/api/devices/1/timeline", "/", "/devices/1"} <= paths


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_operator_route_needs_a_token(client, method: str, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"},
                    {"Authorization": f"Basic {client.token}"},
                    {"Cookie": "microforge_fleet_token=wrong"}):
        r = client.request(method, path, headers=headers, json={})
        assert r.status_code == 401, (method, path, headers, r.text)
        if path.startswith("/api/"):
            assert r.json()["reason"] == "unauthorized"
        else:  # a dashboard page: the login form instead
            assert 'name="token"' in r.text


def test_the_cookie_opens_reading_routes_only(client) -> None:
    """The dashboard's cookie is accepted for GET, never for a route that changes anything
    (another site's form could send it)."""
    cookie = {"Cookie": f"microforge_fleet_token={client.token}"}
    assert client.get("/api/devices", headers=cookie).status_code == 200
    r = client.post("/api/rollouts", headers=cookie, json={
        "bundle": "b", "model_id": 1, "model_version": 1, "device_ids": [1]})
    assert r.status_code == 401


def test_a_valid_token_opens_the_routes(client, kws: KwsFleet) -> None:
    setup_fleet(client, kws)
    for path in ("/api/models", "/api/devices", "/api/alerts", "/api/rollouts",
                 "/api/drift?by=model", "/api/devices/1/timeline"):
        assert client.get(path, headers=client.bearer).status_code == 200, path


def test_telemetry_statuses(client, kws: KwsFleet) -> None:
    setup_fleet(client, kws)
    data = kws.record(1, 5)
    r = client.post("/api/telemetry", content=data, headers=CBOR)
    assert (r.status_code, r.json()["status"]) == (202, "accepted")
    r = client.post("/api/telemetry", content=data, headers=CBOR)
    assert (r.status_code, r.json()["status"]) == (200, "duplicate")
    tampered = bytearray(kws.record(1, 6))
    tampered[-1] ^= 0x01
    cases = [(bytes(tampered), 401, "bad_tag"), (kws.record(1, 5, period=3), 409, "replay"),
             (kws.record(1, 4), 409, "stale"), (kws.record(42, 1), 404, "unknown_device"),
             (data[:20], 400, "truncated"), (b"\x1f" * 8, 400, "malformed"),
             (bytes(5000), 400, "malformed")]
    for body, status, reason in cases:
        r = client.post("/api/telemetry", content=body, headers=CBOR)
        assert (r.status_code, r.json()["reason"]) == (status, reason), r.text
        assert r.json()["error"]
    devices = client.get("/api/devices", headers=client.bearer).json()
    assert [d["records"] for d in devices] == [1, 0, 0]


def test_devices_alerts_timeline_and_drift_match_the_records(client, kws: KwsFleet) -> None:
    setup_fleet(client, kws)
    sent: dict[int, list[bytes]] = {1: [], 2: [], 3: []}
    for seq in range(1, 7):
        for device_id in (1, 2, 3):
            data = kws.record(device_id, seq, drifted=device_id == 3 and seq > 3)
            assert client.post("/api/telemetry", content=data, headers=CBOR).status_code == 202
            sent[device_id].append(data)
    records = {d: [verify_record(b, device_key, kws.reference.spec) for b in sent[d]]
               for d in sent}
    reports = {d: [assess(r, kws.reference) for r in records[d]] for d in records}

    devices = {d["device_id"]: d for d in client.get("/api/devices", headers=client.bearer).json()}
    for d in (1, 2, 3):
        assert devices[d]["records"] == 6 and devices[d]["last_seq"] == 6
        assert devices[d]["windows"] == sum(r.windows for r in records[d])
        assert devices[d]["alerts"] == sum(len(rep.alerts) for rep in reports[d])
        assert devices[d]["last_seen"] is not None
    assert devices[3]["alerts"] > 0

    alerts = client.get("/api/alerts", headers=client.bearer).json()
    assert len(alerts) == sum(devices[d]["alerts"] for d in devices)
    assert {a["seq"] for a in alerts if a["device_id"] == 3} == {4, 5, 6}

    timeline = client.get("/api/devices/3/timeline", headers=client.bearer).json()
    assert [t["seq"] for t in timeline] == [1, 2, 3, 4, 5, 6]
    for t, rep in zip(timeline, reports[3], strict=True):
        assert t["estimated_accuracy"] == pytest.approx(rep.estimated_accuracy)
        assert t["feature_psi"] == pytest.approx(rep.feature_psi)
        assert t["alerts"] == rep.alerts

    by_cohort = {g["cohort"]: g for g in
                 client.get("/api/drift?by=cohort", headers=client.bearer).json()}
    lab = assess(combine(records[1] + records[2]), kws.reference)
    assert by_cohort["lab"]["records"] == 12
    assert by_cohort["lab"]["feature_psi"] == pytest.approx(lab.feature_psi)
    assert by_cohort["lab"]["alerts"] == lab.alerts
    field = assess(combine(records[3]), kws.reference)
    assert by_cohort["field"]["class_p"] == pytest.approx(field.class_p)
    assert by_cohort["field"]["alerts"] == field.alerts and field.alerts

    by_model = client.get("/api/drift?by=model", headers=client.bearer).json()
    assert len(by_model) == 1 and by_model[0]["records"] == 18
    everything = combine([r for d in records for r in records[d]])
    assert by_model[0]["windows"] == everything.windows
    assert by_model[0]["class_counts"] == list(everything.class_counts)
    by_device = client.get("/api/drift?by=device", headers=client.bearer).json()
    assert [g["device"] for g in by_device] == [1, 2, 3]
    assert client.get("/api/drift?by=planet", headers=client.bearer).status_code == 400


def test_registration_conflicts_and_bad_input(client, kws: KwsFleet) -> None:
    setup_fleet(client, kws)
    spec = kws.reference.spec
    again = client.post("/api/models", json=kws.reference.to_json(), headers=client.bearer)
    assert again.status_code == 200  # the same reference: idempotent
    other = kws.reference.to_json()
    other["accuracy"] = 0.5
    r = client.post("/api/models", json=other, headers=client.bearer)
    assert (r.status_code, r.json()["reason"]) == (409, "conflict")
    r = client.post("/api/models", json={"spec": {}}, headers=client.bearer)
    assert (r.status_code, r.json()["reason"]) == (400, "schema")
    device = {"device_id": 1, "key_hex": device_key(1).hex(), "cohort": "lab",
              "model_id": spec.model_id, "model_version": spec.model_version}
    assert client.post("/api/devices", json=device, headers=client.bearer).status_code == 200
    r = client.post("/api/devices", json={**device, "key_hex": "ab" * 32}, headers=client.bearer)
    assert (r.status_code, r.json()["reason"]) == (409, "conflict")
    r = client.post("/api/devices", json={**device, "device_id": 9, "key_hex": "zz"},
                    headers=client.bearer)
    assert (r.status_code, r.json()["reason"]) == (400, "schema")
    r = client.post("/api/devices", json={**device, "device_id": 2**32}, headers=client.bearer)
    assert (r.status_code, r.json()["reason"]) == (400, "schema")
    r = client.post("/api/devices", json={**device, "device_id": 9, "model_version": 9},
                    headers=client.bearer)
    assert (r.status_code, r.json()["reason"]) == (404, "unknown_model")


def test_rollouts_by_cohort(client, kws: KwsFleet) -> None:
    setup_fleet(client, kws)
    spec = kws.reference.spec
    r = client.post("/api/rollouts", headers=client.bearer, json={
        "bundle": "kws-1.0.1.bin", "model_id": spec.model_id,
        "model_version": spec.model_version, "cohort": "lab"})
    assert r.status_code == 201 and len(r.json()["rollout_ids"]) == 2
    rollouts = client.get("/api/rollouts", headers=client.bearer).json()
    assert [(x["device_id"], x["state"], x["bundle"]) for x in rollouts] == [
        (1, "pending", "kws-1.0.1.bin"), (2, "pending", "kws-1.0.1.bin")]
    r = client.post("/api/rollouts", headers=client.bearer, json={
        "bundle": "x.bin", "model_id": spec.model_id, "model_version": 1, "device_ids": [77]})
    assert (r.status_code, r.json()["reason"]) == (404, "unknown_device")
