"""Group commit: records submitted concurrently by many threads are all stored exactly once,
several per transaction, and each future resolves to its own outcome."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from microforge.fleet.errors import FleetError
from microforge.fleet.ingest import Ingestor
from microforge.fleet.registry import add_device
from microforge.fleet.tables import DeviceRow, RecordRow
from microforge.fleet.writer import GroupWriter
from tests.fleet.records import KwsFleet, device_key


def test_concurrent_records_are_stored_once_in_few_transactions(fleet_db, kws: KwsFleet):
    """12 devices, one thread each sending its records in order (as a device does), then
    every record again."""
    engine, factory = fleet_db
    devices = list(range(10, 22))
    for device_id in devices:
        add_device(factory, device_id, device_key(device_id), "many",
                   kws.reference.spec.model_id, kws.reference.spec.model_version)
    ingestor, writer = Ingestor(engine), GroupWriter(engine)
    writer.start()

    def send_all(device_id: int) -> list[str]:
        return [writer.submit(ingestor.check(kws.record(device_id, seq))).result(30).status
                for seq in range(1, 11)]

    try:
        with ThreadPoolExecutor(len(devices)) as pool:
            first = list(pool.map(send_all, devices))
            again = list(pool.map(send_all, devices))
    finally:
        writer.stop()
    assert first == [["accepted"] * 10] * len(devices)
    assert again == [["duplicate"] * 10] * len(devices)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(RecordRow)) == 10 * len(devices)
        assert [d.records for d in s.scalars(select(DeviceRow).where(
            DeviceRow.cohort == "many").order_by(DeviceRow.device_id))] == [10] * len(devices)
    assert writer.batches < 10 * len(devices)  # group commit: fewer transactions than records


def test_a_refused_record_does_not_spoil_its_batch(fleet_db, kws: KwsFleet):
    engine, factory = fleet_db
    ingestor, writer = Ingestor(engine), GroupWriter(engine)
    writer.start()
    try:
        checked = [ingestor.check(kws.record(1, 5)), ingestor.check(kws.record(1, 5, period=2)),
                   ingestor.check(kws.record(2, 1))]
        futures = [writer.submit(c) for c in checked]
        assert futures[0].result(10).status == "accepted"
        with pytest.raises(FleetError) as e:
            futures[1].result(10)
        assert e.value.reason == "replay"
        assert futures[2].result(10).status == "accepted"
    finally:
        writer.stop()
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(RecordRow)) == 2


def test_submit_without_a_running_writer_fails(fleet_db, kws: KwsFleet):
    engine, _ = fleet_db
    future = GroupWriter(engine).submit(Ingestor(engine).check(kws.record(1, 1)))
    with pytest.raises(RuntimeError):
        future.result(1)
