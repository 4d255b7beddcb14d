"""Device key rotation (registry.rotate_key): records with the replaced key are refused at
once, or after the grace window; the new key works at once; a server process whose key cache
predates the rotation (another process rotated it) neither refuses the new key nor accepts
the old one."""

from __future__ import annotations

import time

import pytest

from microforge.fleet.errors import FleetError
from microforge.fleet.ingest import Ingestor
from microforge.fleet.registry import rotate_key
from microforge.monitor.telemetry import encode_record
from tests.fleet.records import KwsFleet, device_key


def record(kws: KwsFleet, device_id: int, seq: int, key: bytes) -> bytes:
    return encode_record(kws.periods[seq % len(kws.periods)], device_id=device_id, seq=seq,
                         key=key)


def refusal(ingestor: Ingestor, data: bytes) -> tuple[int, str]:
    with pytest.raises(FleetError) as e:
        ingestor.ingest(data)
    return e.value.status, e.value.reason


def test_rotation_without_grace_refuses_the_old_key_at_once(fleet_db, kws: KwsFleet) -> None:
    engine, factory = fleet_db
    ingestor = Ingestor(engine)
    old = device_key(1)
    assert ingestor.ingest(record(kws, 1, 1, old)).status == "accepted"  # key now cached
    new = rotate_key(factory, 1)
    assert len(new) == 32 and new != old
    # the cache still holds the old key: the writer's check in the transaction refuses it
    assert refusal(ingestor, record(kws, 1, 2, old)) == (401, "bad_tag")
    assert ingestor.ingest(record(kws, 1, 3, new)).status == "accepted"
    assert refusal(ingestor, record(kws, 1, 4, old)) == (401, "bad_tag")
    # a fresh process (no cache) refuses it too, and takes the new key
    fresh = Ingestor(engine)
    assert refusal(fresh, record(kws, 1, 5, old)) == (401, "bad_tag")
    assert fresh.ingest(record(kws, 1, 6, new)).status == "accepted"
    # the other devices are untouched
    assert ingestor.ingest(record(kws, 2, 1, device_key(2))).status == "accepted"


def test_grace_window_accepts_both_keys_until_it_ends(fleet_db, kws: KwsFleet) -> None:
    engine, factory = fleet_db
    ingestor = Ingestor(engine)
    old = device_key(3)
    assert ingestor.ingest(record(kws, 3, 1, old)).status == "accepted"
    grace = 1.5
    new = rotate_key(factory, 3, grace_seconds=grace)
    started = time.monotonic()
    assert ingestor.ingest(record(kws, 3, 2, old)).status == "accepted"
    assert ingestor.ingest(record(kws, 3, 3, new)).status == "accepted"
    assert ingestor.ingest(record(kws, 3, 4, old)).status == "accepted"
    assert time.monotonic() - started < grace, "the machine was too slow for this test"
    time.sleep(grace - (time.monotonic() - started) + 0.2)
    assert refusal(ingestor, record(kws, 3, 5, old)) == (401, "bad_tag")
    assert ingestor.ingest(record(kws, 3, 6, new)).status == "accepted"
    # rotating again ends the grace of the first key at once
    newer = rotate_key(factory, 3, grace_seconds=60)
    assert ingestor.ingest(record(kws, 3, 7, new)).status == "accepted"
    assert ingestor.ingest(record(kws, 3, 8, newer)).status == "accepted"
    assert refusal(ingestor, record(kws, 3, 9, old)) == (401, "bad_tag")


def test_rotate_key_refuses_bad_input(fleet_db) -> None:
    _, factory = fleet_db
    with pytest.raises(FleetError) as e:
        rotate_key(factory, 999)
    assert e.value.reason == "unknown_device"
    with pytest.raises(FleetError) as e:
        rotate_key(factory, 1, grace_seconds=-1)
    assert e.value.reason == "schema"
    with pytest.raises(FleetError) as e:
        rotate_key(factory, 1, key=device_key(1))
    assert e.value.reason == "conflict"
