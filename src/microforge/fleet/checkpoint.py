"""SQLite WAL checkpoints off the ingestion path: a thread runs a PASSIVE checkpoint every
second (it copies committed pages into the database file and syncs it, without blocking the
writer), so the writer's commits never pay for one; SQLite's own automatic checkpoint stays
as a backstop at a larger WAL (db.WAL_AUTOCHECKPOINT_PAGES).

    checkpointer = Checkpointer(engine); checkpointer.start(); ...; checkpointer.stop()
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


class Checkpointer:
    def __init__(self, engine: Engine, interval: float = 1.0) -> None:
        self.engine = engine
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.checkpoints = 0

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="fleet-checkpoint",
                                            daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None

    def checkpoint(self) -> tuple[int, int]:
        """One PASSIVE checkpoint: (frames in the WAL, frames copied to the database)."""
        # a raw DBAPI connection: no transaction around it (a checkpoint cannot run in one)
        raw = self.engine.raw_connection()
        try:
            _, wal, copied = raw.driver_connection.execute(  # type: ignore[union-attr]
                "PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            raw.close()
        self.checkpoints += 1
        return int(wal), int(copied)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.checkpoint()
            except SQLAlchemyError as exc:  # busy or locked: the next one will do it
                log.warning("WAL checkpoint skipped: %s", exc)
