"""The shipped Alembic revisions build exactly the declared schema, idempotently."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from microforge.fleet.db import make_engine
from microforge.fleet.migrate import current_revision, upgrade
from microforge.fleet.tables import Base


def test_upgrade_builds_the_declared_schema(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    upgrade(engine)  # at head already: nothing to do
    assert current_revision(engine) == "0001"
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
