"""Ingestion of genuine records (real KWS summaries, encode_record): accepted once, a resend
is a duplicate, and every kind of refusal has its own status and reason."""

from __future__ import annotations

import dataclasses

import cbor2
import pytest
from sqlalchemy import func, select

from microforge.fleet.errors import FleetError
from microforge.fleet.ingest import Ingestor, record_from_fields
from microforge.fleet.registry import add_device, register_model, start_rollout
from microforge.fleet.tables import AlertRow, DeviceRow, RecordRow, RolloutRow
from microforge.monitor.drift import assess
from microforge.monitor.reference import MonitorReference
from microforge.monitor.spec import FORM_TINY
from microforge.monitor.telemetry import encode_record, verify_record
from tests.fleet.records import KwsFleet, device_key


@pytest.fixture()
def ingestor(fleet_db) -> Ingestor:
    return Ingestor(fleet_db[0])


def count(factory, table=RecordRow) -> int:
    with factory() as s:
        return s.scalar(select(func.count()).select_from(table))


def refused(ingestor: Ingestor, data: bytes) -> FleetError:
    with pytest.raises(FleetError) as e:
        ingestor.ingest(data)
    return e.value


def test_accepted_record_is_stored_decoded_and_assessed(fleet_db, ingestor, kws: KwsFleet):
    _, factory = fleet_db
    data = kws.record(1, 10)
    outcome = ingestor.ingest(data)
    assert (outcome.status, outcome.device_id, outcome.seq) == ("accepted", 1, 10)
    expected = verify_record(data, device_key, kws.reference.spec)
    with factory() as s:
        row = s.scalar(select(RecordRow))
        device = s.get(DeviceRow, 1)
    assert record_from_fields(row.fields) == expected
    report = assess(expected, kws.reference)
    assert row.drift["estimated_accuracy"] == pytest.approx(report.estimated_accuracy)
    assert row.drift["feature_psi"] == pytest.approx(report.feature_psi)
    assert (device.last_seq, device.records, device.windows) == (10, 1, expected.windows)


def test_resend_is_a_duplicate_not_counted_twice(fleet_db, ingestor, kws: KwsFleet):
    _, factory = fleet_db
    data = kws.record(1, 10)
    assert ingestor.ingest(data).status == "accepted"
    assert ingestor.ingest(data).status == "duplicate"
    ingestor.ingest(kws.record(1, 11))
    assert ingestor.ingest(data).status == "duplicate"  # an old record resent late
    with factory() as s:
        assert s.get(DeviceRow, 1).records == 2
    assert count(factory) == 2


def test_drifted_record_stores_its_alerts(fleet_db, ingestor, kws: KwsFleet):
    _, factory = fleet_db
    outcome = ingestor.ingest(kws.record(2, 1, drifted=True))
    expected = assess(verify_record(kws.record(2, 1, drifted=True), device_key),
                      kws.reference).alerts
    assert "class mix" in expected and list(outcome.alerts) == expected
    with factory() as s:
        kinds = [(a.kind, a.detail) for a in s.scalars(select(AlertRow).order_by(AlertRow.id))]
    assert len(kinds) == len(expected) and ("class mix", "") in kinds
    assert ("feature", "0") in kinds


def test_bad_tag_is_401(ingestor, kws: KwsFleet):
    data = bytearray(kws.record(1, 5))
    data[-1] ^= 0x01
    e = refused(ingestor, bytes(data))
    assert (e.status, e.reason) == (401, "bad_tag")


def test_record_signed_with_another_devices_key_is_401(ingestor, kws: KwsFleet):
    summary = kws.periods[0]
    forged = encode_record(summary, device_id=1, seq=5, key=device_key(2))
    e = refused(ingestor, forged)
    assert (e.status, e.reason) == (401, "bad_tag")


def test_unknown_device_is_404(ingestor, kws: KwsFleet):
    e = refused(ingestor, kws.record(99, 1))
    assert (e.status, e.reason) == (404, "unknown_device")


def test_replay_same_seq_other_bytes_is_409(fleet_db, ingestor, kws: KwsFleet):
    ingestor.ingest(kws.record(1, 7, period=0))
    e = refused(ingestor, kws.record(1, 7, period=1))
    assert (e.status, e.reason) == (409, "replay")
    assert count(fleet_db[1]) == 1


def test_stale_seq_is_409(fleet_db, ingestor, kws: KwsFleet):
    ingestor.ingest(kws.record(1, 20))
    e = refused(ingestor, kws.record(1, 19))
    assert (e.status, e.reason) == (409, "stale")
    assert count(fleet_db[1]) == 1


def test_truncated_record_is_400(ingestor, kws: KwsFleet):
    e = refused(ingestor, kws.record(1, 1)[:-5])
    assert (e.status, e.reason) == (400, "truncated")


def test_malformed_record_is_400(ingestor, kws: KwsFleet):
    e = refused(ingestor, b"\xff\x00 not cbor")
    assert (e.status, e.reason) == (400, "malformed")
    e = refused(ingestor, kws.record(1, 1) + b"\x00")  # a trailing byte
    assert (e.status, e.reason) == (400, "malformed")


def test_record_not_of_the_schema_is_400(ingestor):
    e = refused(ingestor, cbor2.dumps({"form": 1}))
    assert (e.status, e.reason) == (400, "schema")


def test_record_of_an_unregistered_model_is_400_wrong_model(ingestor, kws: KwsFleet):
    spec = dataclasses.replace(kws.reference.spec, model_version=7)
    summary = dataclasses.replace(kws.periods[0], spec=spec)
    data = encode_record(summary, device_id=1, seq=3, key=device_key(1))
    e = refused(ingestor, data)
    assert (e.status, e.reason) == (400, "wrong_model")


def test_record_of_another_registered_model_is_400_wrong_model(fleet_db, ingestor,
                                                               kws: KwsFleet):
    _, factory = fleet_db
    v2 = with_version(kws.reference, 2)
    register_model(factory, v2.to_json(), "kws v2")
    data = encode_record(dataclasses.replace(kws.periods[0], spec=v2.spec), device_id=1, seq=3,
                         key=device_key(1))
    e = refused(ingestor, data)  # device 1 runs version 1 and no rollout sent it version 2
    assert (e.status, e.reason) == (400, "wrong_model")


def test_tiny_record_is_accepted(fleet_db, ingestor, kws: KwsFleet):
    assert ingestor.ingest(kws.record(3, 1, form=FORM_TINY)).status == "accepted"


def test_rollout_switches_the_device_when_it_reports_the_new_model(fleet_db, ingestor,
                                                                   kws: KwsFleet):
    _, factory = fleet_db
    v2 = with_version(kws.reference, 2)
    register_model(factory, v2.to_json(), "kws v2")
    ingestor.ingest(kws.record(1, 1))
    start_rollout(factory, [1], "kws-v2.bin", v2.spec.model_id, 2)
    with factory() as s:
        assert s.scalar(select(RolloutRow.state)) == "pending"
    data = encode_record(dataclasses.replace(kws.periods[0], spec=v2.spec), device_id=1, seq=2,
                         key=device_key(1))
    assert ingestor.ingest(data).status == "accepted"
    with factory() as s:
        assert s.scalar(select(RolloutRow.state)) == "running"
    e = refused(ingestor, kws.record(1, 3))  # back on version 1: not what it runs now
    assert (e.status, e.reason) == (400, "wrong_model")


def test_new_device_of_a_known_model_is_ingested(fleet_db, ingestor, kws: KwsFleet):
    _, factory = fleet_db
    assert refused(ingestor, kws.record(4, 1)).reason == "unknown_device"
    add_device(factory, 4, device_key(4), "lab", kws.reference.spec.model_id, 1)
    assert ingestor.ingest(kws.record(4, 1)).status == "accepted"


def with_version(reference: MonitorReference, version: int) -> MonitorReference:
    return dataclasses.replace(reference, spec=dataclasses.replace(reference.spec,
                                                                   model_version=version))
