"""Group commit: one thread writes the checked records of all concurrent requests, many per
transaction, and each request is answered only after the transaction holding its record has
committed (so an acknowledged record is durable, and a batch costs one commit). Records of
one device keep their arrival order.

    writer = GroupWriter(engine); writer.start()
    outcome = await asyncio.wrap_future(writer.submit(checked))
    writer.stop()
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

from sqlalchemy import Engine

from microforge.fleet.errors import FleetError
from microforge.fleet.ingest import Checked, Outcome, store

MAX_BATCH = 256
_STOP = object()


class GroupWriter:
    def __init__(self, engine: Engine, max_batch: int = MAX_BATCH) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.batches = 0  # transactions committed (for tests and the benchmark)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="fleet-writer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None

    def submit(self, checked: Checked) -> Future[Outcome]:
        future: Future[Outcome] = Future()
        if self._thread is None:
            future.set_exception(RuntimeError("the fleet writer is not running"))
        else:
            self._queue.put((checked, future))
        return future

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                    break
                batch.append(item)
            self._write(batch)  # type: ignore[arg-type]
            if stop:
                return

    def _write(self, batch: list[tuple[Checked, Future[Outcome]]]) -> None:
        try:
            with self.engine.begin() as connection:
                results = [store(connection, checked) for checked, _ in batch]
        except Exception as exc:  # noqa: BLE001 - the database failed: every request hears it
            for _, future in batch:
                future.set_exception(exc)
            return
        self.batches += 1
        for (_, future), result in zip(batch, results, strict=True):
            if isinstance(result, FleetError):
                future.set_exception(result)
            else:
                future.set_result(result)
