"""`microforge fleet serve`: the API (and dashboard) under uvicorn, on localhost unless told
otherwise; the database is migrated to the newest schema before the first request.

    serve("sqlite:///build/fleet/fleet.db", host="127.0.0.1", port=8765)
"""

from __future__ import annotations

import gc
import ipaddress
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from microforge.errors import ConfigError
from microforge.fleet.db import make_engine
from microforge.fleet.migrate import upgrade

if TYPE_CHECKING:
    from microforge.fleet.api import FleetApp

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def migrate(url: str | None) -> None:
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


ENV_DB, ENV_SYNC = "MICROFORGE_FLEET_DB", "MICROFORGE_FLEET_SYNC"


def freeze_heap() -> None:
    """The imported libraries' objects live as long as the server: out of the cyclic
    collector's sight (gc.freeze), its full collections stop pausing ingestion."""
    gc.collect()
    gc.freeze()


def app_from_environment() -> FleetApp:
    """The app of one worker process (`--workers N`): the parent migrated the database."""
    from microforge.fleet.api import create_app

    app = create_app(os.environ.get(ENV_DB) or None, migrate=False,
                     synchronous=os.environ.get(ENV_SYNC, "NORMAL"))
    freeze_heap()
    return app


def serve(url: str | None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
          synchronous: str = "NORMAL", workers: int = 1,
          announce: Callable[[str], None] = print) -> None:
    """Run until interrupted. `workers` > 1: that many processes behind one socket (each with
    its own writer; the database serialises their transactions)."""
    import uvicorn

    from microforge.fleet.api import create_app

    if workers < 1:
        raise ConfigError(f"--workers {workers}: use 1 or more")
    where = "" if is_loopback(host) else (" (reachable from the network: every route but "
                                          "telemetry needs an operator token)")
    if workers == 1:
        app = create_app(url, synchronous=synchronous)
        freeze_heap()
        announce(f"fleet server on http://{host}:{port}{where}; Ctrl-C stops it")
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    make_engine(url, synchronous=synchronous).dispose()  # a bad URL or mode: one line, now
    migrate(url)
    os.environ[ENV_DB], os.environ[ENV_SYNC] = url or "", synchronous
    announce(f"fleet server on http://{host}:{port}{where}, {workers} workers; Ctrl-C stops it")
    uvicorn.run("microforge.fleet.server:app_from_environment", factory=True, host=host,
                port=port, workers=workers, log_level="warning", access_log=False)
