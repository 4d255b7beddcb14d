from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from microforge.errors import ConfigError
from microforge.fleet.db import make_engine
from microforge.fleet.ingest import Ingestor
from microforge.fleet.tables import RecordRow
from tests.fleet.records import KwsFleet


def test_an_open_read_never_holds_up_ingestion(fleet_db, db_url: str, kws: KwsFleet) -> None:
    """A dashboard's long read (a deferred transaction on the readonly engine) while records
    are written: the writer neither waits for it nor is seen by it mid-transaction."""
    engine, _ = fleet_db
    reads = make_engine(db_url, readonly=True)
    ingestor = Ingestor(engine, reader=reads)
    ingestor.ingest(kws.record(1, 1))
    with reads.connect() as connection:
        before = connection.execute(select(RecordRow.seq)).all()  # the transaction is open
        start = time.monotonic()
        for seq in range(2, 6):
            ingestor.ingest(kws.record(1, seq))
        assert time.monotonic() - start < 5  # not the 10-second busy timeout
        assert connection.execute(select(RecordRow.seq)).all() == before  # its snapshot
    with reads.connect() as connection:
        assert len(connection.execute(select(RecordRow.seq)).all()) == 5
    reads.dispose()


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://x"])
def test_a_bad_url_is_one_line(url: str) -> None:
    with pytest.raises(ConfigError) as e:
        make_engine(url)
    assert "--db" in str(e.value)


def test_sync_mode_is_checked(tmp_path) -> None:
    with pytest.raises(ConfigError):
        make_engine(f"sqlite:///{tmp_path / 'f.db'}", synchronous="sometimes")
