"""A device on a pseudo-terminal: writes data-forwarder lines at a fixed rate from a thread.

Line k carries k itself as its first value, so a test knows exactly which lines arrived.
Lines are written on an absolute schedule (no drift), in bursts when the thread wakes late,
as USB serial adapters deliver them.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time
import tty


class PtyDevice:
    def __init__(self, rate: float, axes: int = 3, garbled: set[int] = frozenset(),
                 dropped: set[int] = frozenset(), wrong_width: set[int] = frozenset(),
                 separator: str = ",", start_delay_s: float = 0.2, lines: int | None = None,
                 results: dict[int, str] | None = None, gated: bool = False,
                 close_when_done: bool = False) -> None:
        self.rate, self.axes, self.separator = rate, axes, separator
        self.garbled, self.dropped, self.wrong_width = set(garbled), set(dropped), set(wrong_width)
        self.start_delay_s, self.max_lines = start_delay_s, lines
        self.results = results or {}  # line index -> a text line the "firmware" prints after it
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = os.ttyname(self.slave)
        self.sent = 0
        # gated: nothing is sent before `go` is set (by `opened`, once the reader has the port)
        self.go = threading.Event()
        if not gated:
            self.go.set()
        self.close_when_done = close_when_done
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def line(self, k: int) -> bytes:
        if k in self.garbled:
            return [b"\x8f\xff#!garbage", b"1.0,-,3", b",,,", b"nan,1,2", b"12.5.6,1"][k % 5] + b"\r\n"
        width = self.axes - 1 if k in self.wrong_width else self.axes
        values = [float(k)] + [round(math.sin(k / 7 + a), 4) for a in range(width - 1)]
        return self.separator.join(f"{v:g}" for v in values).encode() + b"\r\n"

    def opened(self, open_port):
        """Wrap an `open_port` so that the device starts once its port is open."""
        def wrapper(*args, **kwargs):
            port = open_port(*args, **kwargs)
            self.go.set()
            return port
        return wrapper

    def _run(self) -> None:
        self.go.wait(timeout=60)
        time.sleep(self.start_delay_s)
        t0 = time.monotonic()
        k = 0
        while not self._stop.is_set() and (self.max_lines is None or k < self.max_lines):
            due = t0 + k / self.rate
            now = time.monotonic()
            if now < due:
                time.sleep(min(due - now, 0.05))
                continue
            chunk = b""
            while k / self.rate <= now - t0 and (self.max_lines is None or k < self.max_lines):
                if k not in self.dropped:
                    chunk += self.line(k)
                if k in self.results:
                    chunk += self.results[k].encode() + b"\r\n"
                k += 1
            try:
                os.write(self.master, chunk)
            except OSError:
                return
            self.sent = k
        if self.close_when_done and not self._stop.is_set():
            time.sleep(0.3)  # let the reader drain, then "unplug"
            with contextlib.suppress(OSError):
                os.close(self.master)
    def __enter__(self) -> PtyDevice:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for fd in (self.slave,) if self.close_when_done else (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)
