"""The telemetry ASGI handler on its own: body limits without a Content-Length, a client that
goes away, and a failure after the checks (500, nothing stored)."""

from __future__ import annotations

import asyncio
import json

import pytest

from microforge.fleet.errors import FleetError
from microforge.fleet.ingest import Ingestor
from microforge.fleet.telemetry_endpoint import handle_telemetry, read_body
from microforge.fleet.writer import GroupWriter
from tests.fleet.records import KwsFleet


def receiver(messages: list[dict]):
    it = iter(messages)

    async def receive() -> dict:
        return next(it)
    return receive


def test_a_chunked_body_beyond_the_limit_is_refused_without_reading_on() -> None:
    chunks = [{"type": "http.request", "body": b"x" * 3000, "more_body": True}] * 2 + \
        [AssertionError("read past the limit")]  # type: ignore[list-item]
    with pytest.raises(FleetError) as e:
        asyncio.run(read_body({"headers": []}, receiver(chunks)))
    assert (e.value.status, e.value.reason) == (400, "malformed")


def test_a_client_that_goes_away_is_a_truncated_record() -> None:
    messages = [{"type": "http.request", "body": b"\x8e\x01", "more_body": True},
                {"type": "http.disconnect"}]
    with pytest.raises(FleetError) as e:
        asyncio.run(read_body({"headers": []}, receiver(messages)))
    assert e.value.reason == "truncated"


def test_a_failure_after_the_checks_is_a_500_and_stores_nothing(fleet_db, kws: KwsFleet):
    engine, _ = fleet_db
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    stopped = GroupWriter(engine)  # never started: the write cannot happen
    body = [{"type": "http.request", "body": kws.record(1, 1), "more_body": False}]
    asyncio.run(handle_telemetry(Ingestor(engine), stopped, {"headers": []}, receiver(body),
                                 send))
    assert sent[0]["status"] == 500
    assert json.loads(sent[1]["body"])["reason"] == "internal"
    with engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM records").scalar() == 0
