"""`microforge fleet serve`: the API (and dashboard) under uvicorn, on localhost unless told
otherwise; the database is migrated to the newest schema before the first request.

    serve("sqlite:///build/fleet/fleet.db", host="127.0.0.1", port=8765)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from microforge.fleet.db import make_engine
from microforge.fleet.migrate import upgrade

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


def serve(url: str | None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
          synchronous: str = "NORMAL", announce: Callable[[str], None] = print) -> None:
    import uvicorn

    from microforge.fleet.api import create_app

    app = create_app(url, synchronous=synchronous)
    where = "" if is_loopback(host) else (" (reachable from the network: every route but "
                                          "telemetry needs an operator token)")
    announce(f"fleet server on http://{host}:{port}{where}; Ctrl-C stops it")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
