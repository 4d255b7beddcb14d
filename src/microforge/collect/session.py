"""`collect`: read a device's lines of values for a while and write them as one recording.

The recording goes to `<dataset>/<label>/<session>/<label>.<NNN>.csv` (or Edge Impulse
`.json`/`.cbor`): the session folder is the group, so the split keeps a session on one side.
An existing file is never overwritten (the next free number is taken, created exclusively).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from microforge.collect.lines import LineParser, LineStats
from microforge.collect.rate import RateEstimate, estimate_rate
from microforge.errors import DataError, MicroforgeError

MAX_LINE = 4096  # bytes without a newline: counted as one garbled line and dropped
FORMATS = ("csv", "json", "cbor")
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


class SerialLike(Protocol):
    """What collect needs of a port (pyserial's Serial has it)."""

    def read(self, size: int = 1) -> bytes: ...
    @property
    def in_waiting(self) -> int: ...
    def reset_input_buffer(self) -> None: ...
    def close(self) -> None: ...


@dataclass
class Snapshot:
    """What the live display shows, a few times a second."""

    label: str
    elapsed_s: float
    seconds: float | None
    stats: LineStats
    rate: RateEstimate | None
    recent: np.ndarray  # the last samples (n, axes), for a sparkline
    axes: tuple[str, ...]


@dataclass
class CollectResult:
    path: Path | None  # the recording written (None: nothing to write)
    label: str
    session: str
    samples: int
    axes: tuple[str, ...]
    stats: LineStats
    rate: RateEstimate | None  # as measured
    recorded_rate: float  # what the file says: --rate, else the measured (round) rate
    given_rate: float | None
    missing: int | None  # lines missing by --rate (sent but never received), when given
    stopped: str  # "time", "interrupted", "disconnected", "samples"
    duration_s: float
    warnings: list[str] = field(default_factory=list)


def open_port(port: str, baud: int = 115200) -> SerialLike:
    """A serial port (or pty, or pyserial URL such as socket://localhost:5555)."""
    import serial

    try:
        return serial.serial_for_url(port, baudrate=baud, timeout=0.05)
    except (serial.SerialException, OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MicroforgeError(f"--port {port}: cannot open it ({reason}); check the device is "
                              "connected and the port name (ls /dev/tty*)") from None


def collect(
    port: SerialLike,
    label: str,
    out: str | Path,
    *,
    rate: float | None = None,
    seconds: float | None = None,
    session: str | None = None,
    axes: list[str] | None = None,
    fmt: str = "csv",
    max_samples: int | None = None,
    on_update: Callable[[Snapshot], None] | None = None,
    update_every_s: float = 0.25,
    clock: Callable[[], float] = time.monotonic,
) -> CollectResult:
    """Read lines until `seconds` pass (or `max_samples` samples, Ctrl-C, or the device goes
    away), then write one recording. Bad lines are counted, never fatal."""
    check_names(label, session, fmt, rate, seconds)
    session = session or datetime.now().strftime("%Y%m%d-%H%M%S")
    parser = LineParser(width=len(axes) if axes else None)
    samples: list[list[float]] = []
    index: list[int] = []
    arrival: list[float] = []
    skip_partial = _flush(port)
    buffer = b""
    started = clock()
    last_update = -1e9
    stopped = "time"
    try:
        while True:
            now = clock()
            if seconds is not None and now - started >= seconds:
                break
            if max_samples is not None and len(samples) >= max_samples:
                stopped = "samples"
                break
            try:
                chunk = port.read(max(1, _waiting(port)))
            except Exception as exc:  # pyserial: SerialException/OSError when unplugged
                if _is_disconnect(exc):
                    stopped = "disconnected"
                    break
                raise
            t = clock()
            if chunk:
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                if len(buffer) > MAX_LINE:
                    lines.append(buffer)
                    buffer = b""
                for raw in lines:
                    if skip_partial:  # the tail of a line sent before we listened
                        skip_partial = False
                        continue
                    slot = parser.stats.slots
                    samples += [v for v, _ in parser.feed(raw.rstrip(b"\r"), t)]
                    if parser.stats.slots > slot:  # a sample period (text is not)
                        index.append(slot)
                        arrival.append(t)
            if on_update is not None and t - last_update >= update_every_s:
                last_update = t
                on_update(_snapshot(label, t - started, seconds, parser, samples, index,
                                    arrival, axes))
    except KeyboardInterrupt:
        stopped = "interrupted"
    finally:
        with contextlib.suppress(Exception):
            port.close()
    samples += [v for v, _ in parser.flush()]
    if max_samples is not None:
        samples = samples[:max_samples]
    duration = clock() - started
    measured = estimate_rate(np.array(index), np.array(arrival))
    result = CollectResult(None, label, session, len(samples), (), parser.stats, measured,
                           0.0, rate, None, stopped, duration)
    if on_update is not None:
        on_update(_snapshot(label, duration, seconds, parser, samples, index, arrival, axes))
    if not samples:
        raise DataError(f"--port: no samples in {duration:.1f} s ({parser.stats.lines} lines, "
                        f"{parser.stats.garbled} not numbers); check the baud rate and that the "
                        "device prints comma- or tab-separated values, one sample per line")
    if rate is None and measured is None:
        raise DataError(f"--port: {len(samples)} sample(s) are too few to measure the rate; "
                        "collect longer (--seconds) or pass --rate")
    if rate is not None:
        result.recorded_rate = float(rate)
    elif measured is not None:
        result.recorded_rate = measured.rate
    if rate is not None and measured is not None:
        off = abs(measured.measured - rate) / rate
        if off > 0.01:
            result.warnings.append(f"the stream measured {measured.measured:.4g} Hz, "
                                   f"{off:.1%} off --rate {rate:g}: lines lost, or a wrong --rate")
        result.missing = missing_lines(np.array(index), np.array(arrival), rate)
    width = len(samples[0])
    names = tuple(axes) if axes else tuple(f"ch{i}" for i in range(width))
    result.axes = names
    result.path = write_recording(out, label, session, np.asarray(samples, np.float64),
                                  result.recorded_rate, names, fmt)
    return result


def missing_lines(index: np.ndarray, arrival: np.ndarray, rate: float) -> int:
    """Lines sent at `rate` but never received: how far the arrivals of the last tenth of the
    lines lag behind those of the first tenth, against the schedule `index / rate` (the least
    lag of each: lines are never early, so bursts and a busy host's late reads do not
    count)."""
    if len(index) < 2:
        return 0
    lag = arrival - index / rate
    q = max(1, min(len(index) // 10, 200))
    behind = float(np.min(lag[-q:]) - np.min(lag[:q]))
    return max(0, int(round(behind * rate)))


def write_recording(out: str | Path, label: str, session: str, signal: np.ndarray,
                    rate: float, axes: tuple[str, ...] | list[str], fmt: str = "csv",
                    device_type: str = "microforge-collect") -> Path:
    """`<out>/<label>/<session>/<label>.<NNN>.<fmt>`, the next free NNN, created exclusively
    (never overwriting), written completely before it appears."""
    folder = Path(out) / label / session
    if Path(out).exists() and not Path(out).is_dir():
        raise DataError(f"-o {out}: not a folder; give the dataset folder to write into")
    folder.mkdir(parents=True, exist_ok=True)
    data = _encode(signal, rate, tuple(axes), fmt, device_type)
    fd, tmp = tempfile.mkstemp(prefix=f".{label}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        for k in range(1, 100_000):
            target = folder / f"{label}.{k:03d}.{fmt}"
            try:
                os.link(tmp, target)  # fails if target exists: nothing is overwritten
            except FileExistsError:
                continue
            return target
        raise DataError(f"{folder}: 99,999 recordings already; start a new --session")
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def check_names(label: str, session: str | None, fmt: str, rate: float | None,
                seconds: float | None) -> None:
    if not _NAME.match(label or ""):
        raise DataError(f"--label {label!r}: use letters, digits, _ . - (it names a folder)")
    if session is not None and not _NAME.match(session):
        raise DataError(f"--session {session!r}: use letters, digits, _ . - (it names a folder)")
    if fmt not in FORMATS:
        raise DataError(f"--format {fmt!r}: one of {', '.join(FORMATS)}")
    if rate is not None and not rate > 0:
        raise DataError(f"--rate {rate:g}: must be > 0 Hz")
    if seconds is not None and not seconds > 0:
        raise DataError(f"--seconds {seconds:g}: must be > 0")


def _encode(signal: np.ndarray, rate: float, axes: tuple[str, ...], fmt: str,
            device_type: str) -> bytes:
    if fmt == "csv":
        # The CSV reader takes whole-number stamps as ms and others as s (timestamp_unit
        # "auto"): whole ms when the period is a whole number of ms (1 Hz, 100 Hz, 1 kHz, as
        # Edge Impulse's CSV), else seconds, which then are not all whole numbers.
        period_ms = 1000.0 / rate
        if abs(period_ms - round(period_ms)) < 1e-9:
            stamps = [str(i * int(round(period_ms))) for i in range(len(signal))]
        else:
            stamps = [f"{i / rate:.12f}" for i in range(len(signal))]
        lines = ["timestamp," + ",".join(axes)]
        lines += [f"{t}," + ",".join(f"{v:.9g}" for v in row)
                  for t, row in zip(stamps, signal.tolist(), strict=True)]
        return ("\n".join(lines) + "\n").encode("ascii")
    from microforge.data.readers.edge_impulse import edge_impulse_document, encode_edge_impulse

    return encode_edge_impulse(edge_impulse_document(signal, rate, axes, device_type=device_type),
                               fmt)


def _snapshot(label, elapsed, seconds, parser, samples, index, arrival, axes) -> Snapshot:
    rate = estimate_rate(np.array(index[-5000:]), np.array(arrival[-5000:]))
    recent = np.asarray(samples[-60:], np.float64) if samples else np.zeros((0, 0))
    names = tuple(axes) if axes else tuple(f"ch{i}" for i in range(recent.shape[1] if
                                                                     recent.ndim == 2 else 0))
    return Snapshot(label, elapsed, seconds, parser.stats, rate, recent, names)


def _flush(port: Any) -> bool:
    """Drop what the device sent before we listened; True if a partial line may follow."""
    waiting = _waiting(port)
    with contextlib.suppress(Exception):
        port.reset_input_buffer()
    return waiting > 0


def _waiting(port: Any) -> int:
    try:
        return int(port.in_waiting)
    except Exception:  # a closed or vanished device: the read that follows reports it
        return 0


def _is_disconnect(exc: BaseException) -> bool:
    try:
        import serial

        if isinstance(exc, serial.SerialException):
            return True
    except ImportError:  # pragma: no cover - pyserial is a dependency
        pass
    return isinstance(exc, OSError)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
