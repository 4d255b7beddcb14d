from __future__ import annotations

import time

from microforge.fleet.checkpoint import Checkpointer
from microforge.fleet.ingest import Ingestor
from tests.fleet.records import KwsFleet


def test_checkpoints_copy_the_wal_into_the_database_beside_ingestion(fleet_db, kws: KwsFleet):
    engine, _ = fleet_db
    ingestor = Ingestor(engine)
    for seq in range(1, 21):
        ingestor.ingest(kws.record(1, seq))
    wal, copied = Checkpointer(engine).checkpoint()
    assert wal > 0 and copied == wal
    background = Checkpointer(engine, interval=0.05)
    background.start()
    try:
        for seq in range(21, 41):
            ingestor.ingest(kws.record(1, seq))
        deadline = time.monotonic() + 10
        while background.checkpoints < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        background.stop()
    assert background.checkpoints >= 2
    with engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM records").scalar() == 40
