"""The fleet database: one SQLAlchemy engine per URL. SQLite (the default, a file under
build/fleet/) runs in WAL mode with synchronous=NORMAL: a committed transaction survives the
server being killed (kill -9); an operating-system crash or power loss may lose the last
commits (use PostgreSQL, or `--sync full`, when that matters). PostgreSQL works by URL
(postgresql+psycopg://user@host/db) through the same code.

    engine = make_engine("sqlite:///build/fleet/fleet.db")
    with session_scope(engine) as s: ...
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from microforge.errors import ConfigError

DEFAULT_DB = Path("build") / "fleet" / "fleet.db"
BUSY_TIMEOUT_MS = 10_000
WAL_AUTOCHECKPOINT_PAGES = 20_000  # a backstop: the server checkpoints every second itself


def default_url() -> str:
    return f"sqlite:///{DEFAULT_DB}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _prepare_sqlite_file(url: str) -> None:
    """Create the folder and the file (mode 0600: it holds the device keys)."""
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


SYNC_MODES = ("NORMAL", "FULL")


def make_engine(url: str | None = None, *, synchronous: str = "NORMAL",
                readonly: bool = False) -> Engine:
    """An engine for `url` (default: the SQLite file under build/fleet/); `synchronous`:
    SQLite's NORMAL (durable against a killed server) or FULL (also against power loss).
    With SQLite, transactions take the write lock when they begin (BEGIN IMMEDIATE); a
    `readonly` engine's begin deferred instead, so its reads never wait for, or hold up, the
    writer (WAL readers see the last commit)."""
    url = url or default_url()
    if synchronous.upper() not in SYNC_MODES:
        raise ConfigError(f"--sync {synchronous!r}: use normal or full")
    synchronous = synchronous.upper()
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"--db {url!r}: not a database URL; use sqlite:///PATH or "
                          "postgresql+psycopg://USER@HOST/DB") from None
    if parsed.get_backend_name() == "sqlite":
        _prepare_sqlite_file(url)
        in_memory = parsed.database in (None, "", ":memory:")
        pool = {} if in_memory else {"pool_size": 8, "max_overflow": 8}
        engine = create_engine(url, connect_args={"check_same_thread": False,
                                                  "timeout": BUSY_TIMEOUT_MS / 1000}, **pool)
        _sqlite_pragmas(engine, synchronous, "BEGIN" if readonly else "BEGIN IMMEDIATE")
        return engine
    try:
        return create_engine(url, pool_size=8, max_overflow=8, pool_pre_ping=True)
    except (NoSuchModuleError, ModuleNotFoundError) as e:
        raise ConfigError(f"--db {url!r}: no driver for it ({e}); for PostgreSQL install "
                          "'microforge[postgres]'") from None


def _sqlite_pragmas(engine: Engine, synchronous: str, begin: str) -> None:
    """WAL, a busy timeout, foreign keys; writers' transactions begin IMMEDIATE (the write
    lock up front, so two writers never deadlock upgrading a read lock)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on error."""
    with factory() as session, session.begin():
        yield session
