"""A throwaway PostgreSQL cluster (Debian's `postgresql` binaries) for the tests and the
benchmark: initdb in a temp folder, a Unix socket only (no TCP), stopped and removed after.
Runs the server as the `postgres` system user when we are root (PostgreSQL refuses root)."""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN_DIRS = [Path("/usr/lib/postgresql") / v / "bin" for v in ("17", "16", "15", "14")]


def postgres_bin() -> Path | None:
    for folder in BIN_DIRS:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def missing() -> str | None:
    """Why PostgreSQL cannot be used here, or None."""
    if postgres_bin() is None:
        return "PostgreSQL binaries not found (apt-get install postgresql)"
    if importlib.util.find_spec("psycopg") is None:
        return "the psycopg driver is not installed (pip install 'microforge[postgres]')"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user to run the server as"
    return None


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def postgres_cluster(port: int = 5499) -> Iterator[str]:
    """Start a cluster; yield its SQLAlchemy URL (database `fleet`)."""
    folder = postgres_bin()
    assert folder is not None, missing()
    root = Path(tempfile.mkdtemp(prefix="mf_pg_"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        for p in (root, sock):
            os.chown(p, user.pw_uid, user.pw_gid)
    run = {"check": True, "capture_output": True, "timeout": 120}
    try:
        subprocess.run(_as_postgres([str(folder / "initdb"), "-D", str(data), "-U", "postgres",
                                     "--auth=trust", "-E", "UTF8"]), **run)  # type: ignore[call-overload]
        options = f"-k {sock} -p {port} -c listen_addresses='' -c fsync=on"
        subprocess.run(_as_postgres([str(folder / "pg_ctl"), "-D", str(data), "-o", options,
                                     "-w", "-l", str(root / "log"), "start"]), **run)  # type: ignore[call-overload]
        subprocess.run(_as_postgres([str(folder / "createdb"), "-h", str(sock), "-p", str(port),
                                     "-U", "postgres", "fleet"]), **run)  # type: ignore[call-overload]
        yield f"postgresql+psycopg://postgres@/fleet?host={sock}&port={port}"
    finally:
        subprocess.run(_as_postgres([str(folder / "pg_ctl"), "-D", str(data), "-m", "fast",
                                     "-w", "stop"]), capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)
