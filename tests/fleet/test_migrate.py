"""The shipped Alembic revisions build exactly the declared schema, idempotently."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from microforge.fleet.db import make_engine
from microforge.fleet.migrate import current_revision, upgrade
from microforge.fleet.tables import Base


def test_upgrade_builds_the_declared_schema(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    upgrade(engine)  # at head already: nothing to do
    assert current_revision(engine) == "0002"
    assert set(inspect(engine).get_table_names()) >= {
        "models", "devices", "records", "alerts", "rollouts", "tokens", "alembic_version"}
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    engine.dispose()


def test_sqlite_runs_in_wal_mode_and_the_file_is_private(tmp_path) -> None:
    path = tmp_path / "sub" / "fleet.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert path.stat().st_mode & 0o777 == 0o600
    engine.dispose()


def test_upgrade_keeps_an_existing_0001_database(db_url: str) -> None:
    """A database made by the first release (revision 0001, with a model, a device, a record
    and a token) upgraded to head: its rows are kept, the new columns are empty (no token
    revoked, no key rotation), and the result is the declared schema."""
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as c:
        c.execute(text("INSERT INTO models (id, model_id, model_version, name, reference, created)"
                       " VALUES (1, 7, 1, 'm', '{}', '2026-12-01 00:00:00')"))
        c.execute(text("INSERT INTO devices (device_id, key, cohort, model, last_seq, records,"
                       " windows, created) VALUES (5, :k, 'lab', 1, 3, 3, 96,"
                       " '2026-12-01 00:00:00')"), {"k": b"k" * 32})
        c.execute(text("INSERT INTO records (device_id, seq, sha256, model, form, windows,"
                       " fields, drift, received) VALUES (5, 3, 'ab', 1, 1, 32, '{}', '{}',"
                       " '2026-12-01 00:00:00')"))
        c.execute(text("INSERT INTO tokens (sha256, label, created) VALUES ('cd', 'ops',"
                       " '2026-12-01 00:00:00')"))
    upgrade(engine)
    assert current_revision(engine) == "0002"
    with engine.connect() as c:
        device = c.execute(text("SELECT key, last_seq, records, previous_key, "
                                "previous_key_until FROM devices")).one()
        token = c.execute(text("SELECT sha256, label, revoked FROM tokens")).one()
        assert c.execute(text("SELECT count(*) FROM records")).scalar() == 1
        diff = compare_metadata(MigrationContext.configure(c), Base.metadata)
    assert tuple(device) == (b"k" * 32, 3, 3, None, None)
    assert tuple(token) == ("cd", "ops", None)
    assert diff == []
    engine.dispose()
