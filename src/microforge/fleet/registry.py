"""Registering what the fleet knows: model versions (their monitor reference), devices (id,
key, cohort, model) and rollouts (a bundle / model version sent to devices).

    register_model(factory, reference_json, name="har")   # -> (model_id, model_version)
    add_device(factory, 7, key, "lab", model_id, 1)
    start_rollout(factory, [7, 8], "har-v2.bin", model_id, 2)
    new_key = rotate_key(factory, 7, grace_seconds=3600)  # the old key works one more hour
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from microforge.errors import ConfigError
from microforge.fleet.db import session_scope
from microforge.fleet.errors import FleetError
from microforge.fleet.tables import DeviceRow, ModelRow, RolloutRow, utcnow
from microforge.monitor.reference import MonitorReference

UINT32 = 2**32


def parse_reference(data: Any) -> MonitorReference:
    """The MonitorReference of a JSON object (FleetError 400 when it is not one)."""
    if not isinstance(data, dict):
        raise FleetError(400, "schema", "the model must be the JSON object of "
                         "monitor_reference.json")
    try:
        return MonitorReference.from_json(data)
    except ConfigError as e:
        raise FleetError(400, "schema", str(e)) from None


def find_model(session: Session, model_id: int, model_version: int) -> ModelRow:
    row = session.scalar(select(ModelRow).where(ModelRow.model_id == model_id,
                                                ModelRow.model_version == model_version))
    if row is None:
        raise FleetError(404, "unknown_model", f"model {model_id:#010x} version "
                         f"{model_version} is not registered; POST /api/models (or microforge "
                         "fleet register-model) first")
    return row


def register_model(factory: sessionmaker[Session], reference: Any,
                   name: str = "") -> tuple[int, int, bool]:
    """Store a model version's reference: (model_id, model_version, created). The same
    reference again is accepted (idempotent); another one under the same id/version is 409."""
    ref = parse_reference(reference)
    canonical = ref.to_json()
    spec = ref.spec
    with session_scope(factory) as session:
        existing = session.scalar(select(ModelRow).where(
            ModelRow.model_id == spec.model_id, ModelRow.model_version == spec.model_version))
        if existing is not None:
            if MonitorReference.from_json(existing.reference) != ref:
                raise FleetError(409, "conflict", f"model {spec.model_id:#010x} version "
                                 f"{spec.model_version} is registered with another reference; "
                                 "raise [monitor] model_version for a new one")
            return spec.model_id, spec.model_version, False
        session.add(ModelRow(model_id=spec.model_id, model_version=spec.model_version,
                             name=name or f"model {spec.model_id:#010x}",
                             reference=_plain(canonical)))
    return spec.model_id, spec.model_version, True


def _plain(value: Any) -> Any:
    """Tuples to lists, for JSON columns."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def check_device_fields(device_id: int, key: bytes) -> None:
    if not 0 <= device_id < UINT32:
        raise FleetError(400, "schema", f"device_id {device_id} is not an unsigned 32-bit "
                         "integer")
    if not 1 <= len(key) <= 64:
        raise FleetError(400, "schema", "the device key must be 1..64 bytes (32 recommended: "
                         "64 hex digits)")


def add_device(factory: sessionmaker[Session], device_id: int, key: bytes, cohort: str,
               model_id: int, model_version: int) -> bool:
    """Register a device (True) or accept the same registration again (False); the id with
    another key is 409 (a key is never replaced through this call)."""
    check_device_fields(device_id, key)
    with session_scope(factory) as session:
        model = find_model(session, model_id, model_version)
        existing = session.get(DeviceRow, device_id)
        if existing is not None:
            if not hmac.compare_digest(existing.key, key):
                raise FleetError(409, "conflict", f"device {device_id} is registered with "
                                 "another key")
            return False
        session.add(DeviceRow(device_id=device_id, key=key, cohort=cohort, model=model.id,
                              records=0, windows=0))
    return True


def start_rollout(factory: sessionmaker[Session], device_ids: Sequence[int], bundle: str,
                  model_id: int, model_version: int) -> list[int]:
    """Record that `bundle` (running model_id/model_version) was sent to these devices:
    pending until a device's first record of that model arrives (then running). A device's
    earlier pending rollouts are superseded. Returns the rollout ids."""
    if not device_ids:
        raise FleetError(400, "schema", "a rollout needs at least one device")
    ids = []
    with session_scope(factory) as session:
        model = find_model(session, model_id, model_version)
        now = utcnow()
        for device_id in device_ids:
            if session.get(DeviceRow, device_id) is None:
                raise FleetError(404, "unknown_device", f"device {device_id} is not "
                                 "registered")
            for old in session.scalars(select(RolloutRow).where(
                    RolloutRow.device_id == device_id, RolloutRow.state == "pending")):
                old.state, old.updated = "superseded", now
            row = RolloutRow(device_id=device_id, bundle=bundle, model=model.id,
                             state="pending", created=now, updated=now)
            session.add(row)
            session.flush()
            ids.append(row.id)
    return ids


def rotate_key(factory: sessionmaker[Session], device_id: int, grace_seconds: float = 0.0,
               key: bytes | None = None) -> bytes:
    """Give a device a new record key (random 32 bytes unless given) and return it. Records
    tagged with the replaced key are refused from now on, or after `grace_seconds` (the
    device's update window); a later rotation ends an earlier one's grace."""
    if grace_seconds < 0:
        raise FleetError(400, "schema", f"grace {grace_seconds} s: give 0 or more seconds")
    new_key = secrets.token_bytes(32) if key is None else key
    check_device_fields(device_id, new_key)
    with session_scope(factory) as session:
        device = session.get(DeviceRow, device_id)
        if device is None:
            raise FleetError(404, "unknown_device", f"device {device_id} is not registered")
        if hmac.compare_digest(device.key, new_key):
            raise FleetError(409, "conflict", f"device {device_id} already has that key")
        if grace_seconds > 0:
            device.previous_key = device.key
            device.previous_key_until = utcnow() + timedelta(seconds=grace_seconds)
        else:
            device.previous_key, device.previous_key_until = None, None
        device.key = new_key
    return new_key
