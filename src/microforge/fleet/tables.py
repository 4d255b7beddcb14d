"""The fleet database's tables (SQLAlchemy 2 ORM). The schema is created and changed only by
the Alembic migrations in fleet/migrations/ (`upgrade` at server start); a test checks that
the migrated schema equals these declarations.

models: a model version's monitor reference (the JSON of monitor_reference.json);
devices: id, key (and the previous key with the end of its grace window after a rotation),
cohort, current model, last accepted sequence number and counters;
records: every accepted telemetry record (hash of its bytes, decoded fields, drift report);
alerts: per record and kind; rollouts: which bundle/model a device was sent and whether it
reports it; tokens: SHA-256 of each operator token (the token itself is never stored) and
when it was revoked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class ModelRow(Base):
    __tablename__ = "models"
    __table_args__ = (UniqueConstraint("model_id", "model_version", name="uq_models_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int] = mapped_column(BigInteger)  # uint32 from the reference's spec
    model_version: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(200))
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DeviceRow(Base):
    __tablename__ = "devices"

    device_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    key: Mapped[bytes] = mapped_column(LargeBinary(64))
    # after `rotate-key`: the replaced key, accepted until previous_key_until (grace window)
    previous_key: Mapped[bytes | None] = mapped_column(LargeBinary(64), nullable=True)
    previous_key_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    cohort: Mapped[str] = mapped_column(String(200), index=True)
    model: Mapped[int] = mapped_column(ForeignKey("models.id"))
    last_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_seen: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    records: Mapped[int] = mapped_column(BigInteger, default=0)
    windows: Mapped[int] = mapped_column(BigInteger, default=0)
    created: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class RecordRow(Base):
    __tablename__ = "records"
    __table_args__ = (UniqueConstraint("device_id", "seq", name="uq_records_device_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.device_id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    model: Mapped[int] = mapped_column(ForeignKey("models.id"), index=True)
    form: Mapped[int] = mapped_column(Integer)
    windows: Mapped[int] = mapped_column(BigInteger)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)  # the decoded Record
    drift: Mapped[dict[str, Any]] = mapped_column(JSON)  # its DriftReport
    received: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class AlertRow(Base):
    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_device", "device_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.device_id"))
    record: Mapped[int] = mapped_column(ForeignKey("records.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(40))  # feature | variance | class mix | ...
    detail: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class RolloutRow(Base):
    __tablename__ = "rollouts"
    __table_args__ = (Index("ix_rollouts_device", "device_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.device_id"))
    bundle: Mapped[str] = mapped_column(String(200))
    model: Mapped[int] = mapped_column(ForeignKey("models.id"))
    state: Mapped[str] = mapped_column(String(20))  # pending | running | superseded
    created: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TokenRow(Base):
    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
