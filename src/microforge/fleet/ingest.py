"""Telemetry ingestion: verify, judge, store once.

A record is trusted only after `verify_record` has checked its shape and its device's tag;
then it must be of the device's current model (or of the model a pending rollout sent it,
which switches the device to that model), and its sequence number must be new: the same
device + seq with identical bytes is a duplicate (answered, not stored again), with other
bytes a replay; a seq below the device's last accepted one is stale. Every accepted record
is assessed against its model's reference (microforge.monitor.drift.assess) and its alerts
stored, in the same transaction as the record and the device's counters.

    ingestor = Ingestor(engine)
    outcome = ingestor.ingest(data)     # Outcome("accepted" | "duplicate") or FleetError
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import math
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, select

from microforge.fleet.device_keys import DeviceKeys
from microforge.fleet.errors import FleetError
from microforge.fleet.tables import AlertRow, DeviceRow, ModelRow, RecordRow, RolloutRow, utcnow
from microforge.monitor.drift import DriftReport, DriftThresholds, assess
from microforge.monitor.reference import MonitorReference
from microforge.monitor.telemetry import Record, TelemetryError, check_shape

DEVICES: Table = DeviceRow.__table__  # type: ignore[assignment]
MODELS: Table = ModelRow.__table__  # type: ignore[assignment]
RECORDS: Table = RecordRow.__table__  # type: ignore[assignment]
ALERTS: Table = AlertRow.__table__  # type: ignore[assignment]
ROLLOUTS: Table = RolloutRow.__table__  # type: ignore[assignment]

# HTTP status of each verify_record refusal
TELEMETRY_STATUS = {"truncated": 400, "malformed": 400, "schema": 400, "wrong_model": 400,
                    "bad_tag": 401, "unknown_device": 404}


@dataclass(frozen=True)
class Outcome:
    status: str  # accepted | duplicate
    device_id: int
    seq: int
    alerts: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownModel:
    row_id: int
    reference: MonitorReference


def finite(value: Any) -> Any:
    """JSON-safe: NaN and infinities become None (PostgreSQL's JSON refuses them)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def record_fields(record: Record) -> dict[str, Any]:
    """The decoded record (integers only: verify_record checked every item)."""
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def report_fields(report: DriftReport) -> dict[str, Any]:
    return finite({f.name: getattr(report, f.name) for f in dataclasses.fields(report)})


def record_from_fields(fields: dict[str, Any]) -> Record:
    """The Record stored by `record_fields`."""
    def tup(v: Any) -> Any:
        return tuple(tup(x) for x in v) if isinstance(v, list) else v
    return Record(**{k: tup(v) for k, v in fields.items()})


def alert_kind(alert: str) -> tuple[str, str]:
    """("feature", "3") of drift's "feature 3"; ("class mix", "") of "class mix"."""
    for kind in ("feature", "variance"):
        if alert.startswith(kind + " "):
            return kind, alert[len(kind) + 1:]
    return alert, ""


class Ingestor:
    """Ingests records into one database; caches device keys (fleet.device_keys: re-read
    when a record fails with them, checked again in the record's transaction) and model
    references (a model version's reference never changes)."""

    def __init__(self, engine: Engine, thresholds: DriftThresholds | None = None, *,
                 reader: Engine | None = None) -> None:
        self.engine = engine
        self.reader = reader or engine  # key and model lookups
        self.thresholds = thresholds
        self.keys = DeviceKeys(self.reader)
        self._models: dict[tuple[int, int], KnownModel] = {}
        self._lock = threading.Lock()

    def preload(self) -> None:
        """Cache every registered device's keys now."""
        self.keys.preload()

    def model(self, model_id: int, model_version: int) -> KnownModel | None:
        known = self._models.get((model_id, model_version))
        if known is None:
            with self.reader.connect() as connection:
                row = connection.execute(select(MODELS.c.id, MODELS.c.reference).where(
                    MODELS.c.model_id == model_id,
                    MODELS.c.model_version == model_version)).first()
            if row is None:
                return None
            known = KnownModel(row.id, MonitorReference.from_json(row.reference))
            with self._lock:
                self._models[(model_id, model_version)] = known
        return known

    def check(self, data: bytes) -> Checked:
        """Verify and assess a record (no database write): FleetError if it is refused."""
        try:
            record, key = self.keys.verify(data)
        except TelemetryError as e:
            raise FleetError(TELEMETRY_STATUS.get(e.reason, 400), e.reason, str(e)) from None
        known = self.model(record.model_id, record.model_version)
        if known is None:
            raise FleetError(400, "wrong_model", f"device {record.device_id} sent a record of "
                             f"model {record.model_id:#010x} version {record.model_version}, "
                             "which is not registered")
        try:
            check_shape(record, known.reference.spec)
        except TelemetryError as e:
            raise FleetError(400, e.reason, str(e)) from None
        report = assess(record, known.reference, self.thresholds)
        return Checked(record, known, report, hashlib.sha256(data).hexdigest(), key)

    def ingest(self, data: bytes) -> Outcome:
        """check + store, in one transaction of its own."""
        checked = self.check(data)
        with self.engine.begin() as connection:
            result = store(connection, checked)
        if isinstance(result, FleetError):
            raise result
        return result


@dataclass(frozen=True)
class Checked:
    record: Record
    known: KnownModel
    report: DriftReport
    digest: str
    key: bytes  # the key that verified the record's tag


# Built once: SQLAlchemy compiles and caches each statement the first time it runs.
_DEVICE = select(DEVICES.c.model, DEVICES.c.last_seq, DEVICES.c.key, DEVICES.c.previous_key,
                 DEVICES.c.previous_key_until).where(
    DEVICES.c.device_id == bindparam("d")).with_for_update()
_PREVIOUS = select(RECORDS.c.sha256).where(RECORDS.c.device_id == bindparam("d"),
                                           RECORDS.c.seq == bindparam("s"))
_INSERT_RECORD = RECORDS.insert().returning(RECORDS.c.id)
_INSERT_ALERTS = ALERTS.insert()
_COUNT = DEVICES.update().where(DEVICES.c.device_id == bindparam("d")).values(
    last_seq=bindparam("s"), last_seen=bindparam("now"),
    records=DEVICES.c.records + 1, windows=DEVICES.c.windows + bindparam("w"))


def store(connection: Connection, checked: Checked) -> Outcome | FleetError:
    """Store one checked record in the caller's transaction, or say why not (the transaction
    stays usable: nothing is written for a refused record)."""
    record, known, report = checked.record, checked.known, checked.report
    device_id, seq = record.device_id, record.seq
    device = connection.execute(_DEVICE, {"d": device_id}).first()
    if device is None:  # deleted since its key was cached
        return FleetError(404, "unknown_device", f"device {device_id} is not registered")
    now = utcnow()
    if not key_still_valid(device, checked.key, now):
        return FleetError(401, "bad_tag", f"device {device_id}: the record's key was replaced "
                          "(microforge fleet rotate-key); provision the new key")
    # last_seq is the largest stored sequence number (only larger ones are accepted), so a
    # record above it is new: the lookup of an earlier copy is needed only at or below it
    if device.last_seq is not None and seq <= device.last_seq:
        previous = connection.execute(_PREVIOUS, {"d": device_id, "s": seq}).scalar()
        if previous == checked.digest:
            return Outcome("duplicate", device_id, seq)
        if previous is not None:
            return FleetError(409, "replay", f"device {device_id} already sent sequence "
                              f"number {seq} with other bytes")
        return FleetError(409, "stale", f"device {device_id}: sequence number {seq} is older "
                          f"than its last ({device.last_seq})")
    if device.model != known.row_id:
        refused = switch_model(connection, record, known)
        if refused is not None:
            return refused
    record_id = connection.execute(_INSERT_RECORD, {
        "device_id": device_id, "seq": seq, "sha256": checked.digest, "model": known.row_id,
        "form": record.form, "windows": record.windows, "fields": record_fields(record),
        "drift": report_fields(report), "received": now}).scalar_one()
    if report.alerts:
        connection.execute(_INSERT_ALERTS, [
            {"device_id": device_id, "record": record_id, "seq": seq, "kind": kind,
             "detail": detail, "created": now}
            for kind, detail in map(alert_kind, report.alerts)])
    connection.execute(_COUNT, {"d": device_id, "s": seq, "now": now, "w": record.windows})
    return Outcome("accepted", device_id, seq, tuple(report.alerts))


def key_still_valid(device: Any, key: bytes, now: Any) -> bool:
    """The key that verified a record is the device's current key, or its previous key
    within the rotation's grace window (the caller's cache may predate a rotation)."""
    if hmac.compare_digest(device.key, key):
        return True
    return device.previous_key is not None and device.previous_key_until is not None \
        and now < device.previous_key_until and hmac.compare_digest(device.previous_key, key)


def switch_model(connection: Connection, record: Record,
                 known: KnownModel) -> FleetError | None:
    """The device reports another model: allowed only as the model of its pending rollout
    (which is then running, and the device's model)."""
    rollout = connection.execute(select(ROLLOUTS.c.id).where(
        ROLLOUTS.c.device_id == record.device_id, ROLLOUTS.c.state == "pending",
        ROLLOUTS.c.model == known.row_id)).scalar()
    if rollout is None:
        return FleetError(400, "wrong_model", f"device {record.device_id} runs another model "
                          f"than {record.model_id:#010x} version {record.model_version} and "
                          "no rollout sent it that one")
    now = utcnow()
    connection.execute(ROLLOUTS.update().where(
        ROLLOUTS.c.device_id == record.device_id, ROLLOUTS.c.state == "running").values(
        state="superseded", updated=now))
    connection.execute(ROLLOUTS.update().where(ROLLOUTS.c.id == rollout).values(
        state="running", updated=now))
    connection.execute(DEVICES.update().where(DEVICES.c.device_id == record.device_id).values(
        model=known.row_id))
    return None
