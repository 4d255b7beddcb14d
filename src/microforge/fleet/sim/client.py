"""The simulator's side of the fleet HTTP API (fleet_contract: /api/models, /api/devices,
/api/telemetry): registration with the operator token, records as raw CBOR. A server that
cannot be reached or refuses the token is a ConfigError (one line, exit 2).

    client = FleetClient("http://127.0.0.1:8765", token)
    client.register_model(reference.to_json()); client.add_device(7, key, "lab", mid, 1)
    answer = client.post_record(data)        # Answer(status=202, reason="accepted", ...)
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

from microforge.errors import ConfigError

CBOR = {"Content-Type": "application/cbor"}


@dataclass(frozen=True)
class Answer:
    status: int  # HTTP status
    reason: str  # accepted | duplicate | the refusal's reason
    alerts: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.status in (200, 202)


class FleetClient:
    def __init__(self, url: str, token: str, timeout: float = 10.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"--server {url!r}: give the server's URL, e.g. "
                              "http://127.0.0.1:8765")
        self.url = url.rstrip("/")
        self._http = httpx.Client(base_url=self.url, timeout=timeout,
                                  headers={"Authorization": f"Bearer {token}"})
        self._devices = httpx.Client(base_url=self.url, timeout=timeout)  # no token

    def close(self) -> None:
        self._http.close()
        self._devices.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as e:
            raise ConfigError(f"--server {self.url}: cannot reach the fleet server ({e}); "
                              "start it with `microforge fleet serve`") from None
        if response.status_code == 401:
            raise ConfigError(f"--server {self.url}: the operator token was refused (401); "
                              "give a valid one (--token or MICROFORGE_FLEET_TOKEN; "
                              "`microforge fleet token` prints a new one)")
        return response

    def check(self, wait: float = 0.0) -> None:
        """The server answers (within `wait` seconds, for one that is starting) and takes
        the token."""
        deadline = time.monotonic() + wait
        while True:
            try:
                response = self._call("GET", "/api/models")
                break
            except ConfigError:
                if time.monotonic() >= deadline or self._reachable():
                    raise
                time.sleep(0.25)
        self._expect(response, (200,), "GET /api/models")

    def _reachable(self) -> bool:
        try:
            self._devices.get("/login")
        except httpx.HTTPError:
            return False
        return True

    def register_model(self, reference: dict[str, Any], name: str) -> None:
        r = self._call("POST", "/api/models", json={**reference, "name": name})
        self._expect(r, (200, 201), "registering the model")

    def devices(self) -> dict[int, dict[str, Any]]:
        r = self._call("GET", "/api/devices")
        self._expect(r, (200,), "GET /api/devices")
        return {int(d["device_id"]): d for d in r.json()}

    def add_device(self, device_id: int, key: bytes, cohort: str, model_id: int,
                   model_version: int) -> None:
        r = self._call("POST", "/api/devices", json={
            "device_id": device_id, "key_hex": key.hex(), "cohort": cohort,
            "model_id": model_id, "model_version": model_version})
        self._expect(r, (200, 201), f"registering device {device_id}")

    def post_record(self, data: bytes) -> Answer:
        try:
            r = self._devices.post("/api/telemetry", content=data, headers=CBOR)
        except httpx.HTTPError as e:
            return Answer(0, f"unreachable ({type(e).__name__})")
        try:
            body = r.json()
        except ValueError:
            return Answer(r.status_code, "not_json")
        if r.status_code in (200, 202):
            return Answer(r.status_code, str(body.get("status")), tuple(body.get("alerts", ())))
        return Answer(r.status_code, str(body.get("reason", "unknown")))

    @staticmethod
    def _expect(response: httpx.Response, ok: tuple[int, ...], what: str) -> None:
        if response.status_code not in ok:
            try:
                detail = response.json().get("error", response.text)
            except ValueError:
                detail = response.text[:200]
            raise ConfigError(f"{what}: the server answered {response.status_code}: {detail}")
