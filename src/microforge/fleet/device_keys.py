"""The devices' record keys, cached per server process, and the tag check with them.

After `rotate-key` (registry.rotate_key) a device has a new key and, for a grace window, its
previous one. The cache may be older than the database (another process rotated the key):
a record that fails with the cached keys makes the cache re-read that device's keys (one
primary-key lookup, cheaper than the tag check that failed, so forged records gain an
attacker little), and the writer
checks, in the record's transaction, that the key that verified it is still the device's
key or its previous key within the grace window (ingest.store), so a stale cache never
accepts a replaced key.

    keys = DeviceKeys(reader_engine)
    record, key = keys.verify(data)          # TelemetryError as verify_record
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Table, select

from microforge.fleet.tables import DeviceRow, utcnow
from microforge.monitor.telemetry import Record, TelemetryError, verify_record

DEVICES: Table = DeviceRow.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Keys:
    current: bytes
    previous: bytes | None
    previous_until: datetime | None

    def candidates(self, now: datetime) -> list[bytes]:
        """The keys a record may carry now: the current one, the previous one in its grace."""
        grace = self.previous is not None and self.previous_until is not None \
            and now < self.previous_until
        return [self.current, self.previous] if grace else [self.current]  # type: ignore[list-item]


class DeviceKeys:
    def __init__(self, reader: Engine) -> None:
        self.reader = reader
        self._keys: dict[int, Keys] = {}
        self._lock = threading.Lock()

    def preload(self) -> None:
        """Every registered device's keys now (not one query per device on its first
        record, in the event loop)."""
        with self.reader.connect() as connection:
            rows = connection.execute(select(DEVICES.c.device_id, DEVICES.c.key,
                                             DEVICES.c.previous_key,
                                             DEVICES.c.previous_key_until)).all()
        with self._lock:
            self._keys.update({r[0]: Keys(r[1], r[2], r[3]) for r in rows})

    def get(self, device_id: int) -> Keys | None:
        keys = self._keys.get(device_id)
        return keys if keys is not None else self.load(device_id)

    def load(self, device_id: int) -> Keys | None:
        with self.reader.connect() as connection:
            row = connection.execute(select(DEVICES.c.key, DEVICES.c.previous_key,
                                            DEVICES.c.previous_key_until).where(
                DEVICES.c.device_id == device_id)).first()
        if row is None:
            return None
        keys = Keys(row[0], row[1], row[2])
        with self._lock:
            self._keys[device_id] = keys
        return keys

    def verify(self, data: bytes) -> tuple[Record, bytes]:
        """The verified record and the key that verified it."""
        seen: list[tuple[int, Keys]] = []

        def current(device_id: int) -> bytes | None:
            keys = self.get(device_id)
            if keys is None:
                return None
            seen.append((device_id, keys))
            return keys.current

        try:
            record = verify_record(data, current)
            return record, seen[-1][1].current
        except TelemetryError as e:
            if e.reason != "bad_tag" or not seen:
                raise
            first = e
        device_id, keys = seen[-1]
        tried = {keys.current}
        attempts = [k for k in keys.candidates(utcnow()) if k not in tried]
        for key in attempts:
            found = _try(data, device_id, key)
            if found is not None:
                return found, key
            tried.add(key)
        fresh = self.load(device_id)
        for key in [] if fresh is None else fresh.candidates(utcnow()):
            if key not in tried:
                found = _try(data, device_id, key)
                if found is not None:
                    return found, key
        raise first


def _try(data: bytes, device_id: int, key: bytes) -> Record | None:
    try:
        return verify_record(data, {device_id: key}.get)
    except TelemetryError:
        return None
