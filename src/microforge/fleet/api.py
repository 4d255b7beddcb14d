"""The fleet server's JSON API (docs/monitoring.md, "Fleet server"). Every route needs an
operator token except POST /api/telemetry (fleet/telemetry_endpoint.py), where devices
authenticate each record by its keyed BLAKE2b tag.

    app = create_app("sqlite:///build/fleet/fleet.db")    # migrates the database first
    uvicorn.run(app, host="127.0.0.1", port=8765)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from microforge.fleet import registry, views
from microforge.fleet.auth import require_operator
from microforge.fleet.checkpoint import Checkpointer
from microforge.fleet.dashboard import dashboard_router
from microforge.fleet.db import make_engine, session_factory
from microforge.fleet.errors import FleetError
from microforge.fleet.ingest import Ingestor
from microforge.fleet.migrate import upgrade
from microforge.fleet.tables import DeviceRow
from microforge.fleet.telemetry_endpoint import PATH, Receive, Scope, Send, handle_telemetry
from microforge.fleet.writer import GroupWriter


@dataclass
class Fleet:
    engine: Engine  # writes
    read_engine: Engine  # reads: never waits for the writer (SQLite; the same engine else)
    ingestor: Ingestor
    writer: GroupWriter

    def __post_init__(self) -> None:
        self.factory: sessionmaker[Session] = session_factory(self.engine)
        self.reader: sessionmaker[Session] = session_factory(self.read_engine)

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()


class DeviceIn(BaseModel):
    device_id: int = Field(ge=0, lt=2**32)
    key_hex: str = Field(min_length=2, max_length=128)
    cohort: str = Field(default="default", max_length=200)
    model_id: int = Field(ge=0, lt=2**32)
    model_version: int = Field(ge=0, lt=2**32)


class RolloutIn(BaseModel):
    bundle: str = Field(min_length=1, max_length=200)
    model_id: int = Field(ge=0, lt=2**32)
    model_version: int = Field(ge=0, lt=2**32)
    device_ids: list[int] | None = None
    cohort: str | None = None


def error_response(status: int, reason: str, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 and reason == "unauthorized" \
        else None
    return JSONResponse({"error": message, "reason": reason}, status_code=status,
                        headers=headers)


def key_bytes(key_hex: str) -> bytes:
    try:
        return bytes.fromhex(key_hex)
    except ValueError:
        raise FleetError(400, "schema", "key_hex must be hexadecimal (64 digits for a 32-byte "
                         "key)") from None


def fleet_of(request: Request) -> Fleet:
    fleet: Fleet = request.app.state.fleet
    return fleet


def operator_router() -> APIRouter:
    router = APIRouter(dependencies=[Depends(require_operator)])

    @router.post("/api/models", status_code=201)
    def post_model(body: dict[str, Any], request: Request) -> JSONResponse:
        name = body.pop("name", "")
        if not isinstance(name, str):
            raise FleetError(400, "schema", "name must be a string")
        model_id, version, created = registry.register_model(fleet_of(request).factory, body,
                                                             name)
        return JSONResponse({"model_id": model_id, "model_version": version},
                            status_code=201 if created else 200)

    @router.get("/api/models")
    def get_models(request: Request) -> list[dict[str, Any]]:
        with fleet_of(request).reader() as s:
            return views.list_models(s)

    @router.post("/api/devices", status_code=201)
    def post_device(body: DeviceIn, request: Request) -> JSONResponse:
        created = registry.add_device(fleet_of(request).factory, body.device_id,
                                      key_bytes(body.key_hex), body.cohort, body.model_id,
                                      body.model_version)
        return JSONResponse({"device_id": body.device_id}, status_code=201 if created else 200)

    @router.get("/api/devices")
    def get_devices(request: Request) -> list[dict[str, Any]]:
        with fleet_of(request).reader() as s:
            return views.list_devices(s)

    @router.get("/api/devices/{device_id}/timeline")
    def get_timeline(device_id: int, request: Request,
                     limit: int = Query(1000, ge=1, le=100_000)) -> list[dict[str, Any]]:
        with fleet_of(request).reader() as s:
            return views.timeline(s, device_id, limit)

    @router.get("/api/alerts")
    def get_alerts(request: Request, device_id: int | None = None,
                   limit: int = Query(1000, ge=1, le=100_000)) -> list[dict[str, Any]]:
        with fleet_of(request).reader() as s:
            return views.list_alerts(s, device_id, limit)

    @router.get("/api/drift")
    def get_drift(request: Request, by: str = "device",
                  since: datetime | None = None) -> list[dict[str, Any]]:
        with fleet_of(request).reader() as s:
            return views.drift_groups(s, by, since)

    @router.post("/api/rollouts", status_code=201)
    def post_rollout(body: RolloutIn, request: Request) -> dict[str, Any]:
        factory = fleet_of(request).factory
        device_ids = list(body.device_ids or [])
        if body.cohort is not None:
            with fleet_of(request).reader() as s:
                device_ids += list(s.scalars(select(DeviceRow.device_id)
                                             .where(DeviceRow.cohort == body.cohort)))
        ids = registry.start_rollout(factory, sorted(set(device_ids)), body.bundle,
                                     body.model_id, body.model_version)
        return {"rollout_ids": ids}

    @router.get("/api/rollouts")
    def get_rollouts(request: Request) -> list[dict[str, Any]]:
        with fleet_of(request).reader() as s:
            return views.list_rollouts(s)

    return router


def create_app(url: str | None = None, *, migrate: bool = True,
               synchronous: str = "NORMAL") -> FleetApp:
    """The server's app on the database at `url` (migrated to the newest schema first)."""
    engine = make_engine(url, synchronous=synchronous)
    if migrate:
        upgrade(engine)
    reads = make_engine(url, synchronous=synchronous, readonly=True) \
        if engine.dialect.name == "sqlite" else engine
    fleet = Fleet(engine, reads, Ingestor(engine, reader=reads), GroupWriter(engine))

    checkpointer = Checkpointer(engine) if engine.dialect.name == "sqlite" else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        fleet.ingestor.preload()
        fleet.writer.start()
        if checkpointer is not None:
            checkpointer.start()
        try:
            yield
        finally:
            fleet.writer.stop()
            if checkpointer is not None:
                checkpointer.stop()

    app = FastAPI(title="microforge fleet", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.fleet = fleet

    @app.exception_handler(FleetError)
    async def _fleet_error(_request: Request, exc: FleetError) -> JSONResponse:
        return error_response(exc.status, exc.reason, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(400, "schema", f"{where}: {first.get('msg', 'invalid')}")

    app.include_router(operator_router())
    app.include_router(dashboard_router())
    return FleetApp(app, fleet)


class FleetApp:
    """The server's ASGI app: POST /api/telemetry straight to its handler (the hot path);
    everything else to the FastAPI app (`.api`)."""

    def __init__(self, api: FastAPI, fleet: Fleet) -> None:
        self.api = api
        self.fleet = fleet

    @property
    def state(self) -> Any:
        return self.api.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "POST":
            await handle_telemetry(self.fleet.ingestor, self.fleet.writer, scope, receive, send)
        else:
            await self.api(scope, receive, send)
