"""Write a whole output folder or file, or nothing: build in a temp sibling, then rename."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from microforge.errors import OutputError

STALE_SECONDS = 24 * 3600  # a temp folder older than this is stale even if its pid is alive
_held: dict[Path, int] = {}  # output folders this process holds the lock of (nesting count)


@contextlib.contextmanager
def atomic_dir(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty temp folder; on success it replaces `target`, on error it is removed.

    The previous contents of `target` are kept until the new folder is complete, so a failed
    run never leaves a half-written output and never destroys the last good one. The output is
    locked while it is written (a second run into the same folder fails in one line), and the
    temp folders of killed runs (named with their pid) are removed first.
    """
    target = Path(target)
    with locked_output(target):
        remove_stale_temp(target)
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp.{os.getpid()}.",
                                        dir=target.parent))
        except OSError as exc:
            raise OutputError(f"{target.parent}: cannot write here ({exc.strerror}); check its "
                              "permissions and free space") from exc
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it 0700; outputs follow the umask
        try:
            yield tmp
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        old = None
        try:
            if target.exists():
                old = target.with_name(f".{target.name}.old.{os.getpid()}")
                target.rename(old)
            tmp.rename(target)
        except OSError as exc:
            if old is not None and old.exists() and not target.exists():
                old.rename(target)  # put the previous output back
            shutil.rmtree(tmp, ignore_errors=True)
            raise OutputError(f"{target}: cannot replace the output ({exc.strerror}); the "
                              "previous output is unchanged") from exc
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def locked_output(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold the output lock of folder `target` (created later by atomic_dir) for a whole run,
    so that a second run into the same folder fails at once rather than racing this one."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder; choose another output path "
                          "or remove the file")
    missing = [p for p in target.absolute().parents if not p.exists()]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{target.parent}: cannot create the output folder "
                          f"({exc.strerror})") from exc
    try:
        with output_lock(target):
            yield target
    except BaseException:
        for folder in missing:  # innermost first: the folders this run created, if still empty
            try:
                folder.rmdir()
            except OSError:
                break
        raise


@contextlib.contextmanager
def output_lock(target: str | os.PathLike[str]) -> Iterator[None]:
    """An exclusive lock on writing `target` (a hidden `.NAME.lock` beside it, removed after).

    A second process fails at once with an OutputError naming the holder's pid; the same
    process may nest. The kernel drops the lock when a run is killed, and the next run takes
    over its lock file.
    """
    import fcntl

    target = Path(target).absolute()
    if _held.get(target):
        _held[target] += 1
        try:
            yield
        finally:
            _held[target] -= 1
        return
    path = target.with_name(f".{target.name}.lock")
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
        except OSError as exc:
            raise OutputError(f"{target.parent}: cannot write here ({exc.strerror}); check its "
                              "permissions and free space") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise OutputError(f"{target}: another microforge run (pid {holder}) is writing "
                              "this output; wait for it to finish or choose another output "
                              "folder") from None
        try:  # the holder before us may have removed the file: lock the one on disk
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held[target] = 1
        yield
    finally:
        _held.pop(target, None)
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


_TEMP_NAME = re.compile(r"\.(?P<name>.+)\.(?:tmp|old)\.(?P<pid>\d+)(?:\..*)?")


def remove_stale_temp(target: str | os.PathLike[str]) -> list[Path]:
    """Remove the temp folders that killed runs left beside `target`: `.NAME.tmp.<pid>.*` and
    `.NAME.old.<pid>` whose process is gone (or which are older than STALE_SECONDS); an old
    output whose run was killed before the new one took its place is put back instead.
    Call it with the output lock held. Returns what was removed."""
    target = Path(target)
    removed: list[Path] = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match is None or match["name"] != target.name:
            continue
        pid = int(match["pid"])
        try:
            age = now - entry.lstat().st_mtime
        except OSError:
            continue
        if pid == os.getpid() or (_pid_alive(pid) and age < STALE_SECONDS):
            continue
        if ".old." in entry.name and not target.exists() and entry.is_dir():
            entry.rename(target)  # killed between its two renames: the last good output
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
        removed.append(entry)
    return removed


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` through a temp file in the same folder and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp.{os.getpid()}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it 0600; outputs follow the umask
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | os.PathLike[str], data: Any) -> None:
    """Indented JSON; numpy arrays and scalars and paths are written as plain values."""
    atomic_write_text(path, json.dumps(data, indent=2, default=_jsonable) + "\n")


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy arrays and numpy scalars
        return value.tolist()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
