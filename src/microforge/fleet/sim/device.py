"""A virtual device: the compiled C pipeline with its monitor (host build, ctypes), fed one
report period of real windows at a time by its scenario, sending the monitor's own record.

Its key is derived from the simulator's secret (a file made once, mode 0600), so a second
run against the same server finds the devices registered with the same keys and goes on
from their last sequence numbers.

    secret = simulator_secret(Path("build/fleet/simulator.key"))
    device = VirtualDevice(7, "gain_drift", model, device_key(secret, 7), seq=1)
    data = device.next_record(rng, progress=0.4)    # the record bytes, from C
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import tempfile
import time
from pathlib import Path

import numpy as np

from microforge.errors import ConfigError
from microforge.fleet.sim.model import SimModel
from microforge.fleet.sim.scenarios import SCENARIOS
from microforge.monitor.host import HostMonitoredPipeline
from microforge.monitor.spec import FORM_FULL

SECRET_BYTES = 32


def simulator_secret(path: Path) -> bytes:
    """The secret the device keys derive from: read, or created once (0600, atomically)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(SECRET_BYTES))
            with contextlib.suppress(FileExistsError):  # another run made it just now
                os.link(tmp, path)  # never replaces an existing secret
        finally:
            os.unlink(tmp)
    try:
        secret = path.read_bytes()
    except OSError as e:
        raise ConfigError(f"--keys {path}: cannot read it ({e.strerror})") from None
    if len(secret) != SECRET_BYTES:
        raise ConfigError(f"--keys {path}: not a simulator secret ({len(secret)} bytes, not "
                          f"{SECRET_BYTES}); remove it to make a new one")
    return secret


def device_key(secret: bytes, device_id: int) -> bytes:
    """The device's 32-byte record key: keyed BLAKE2b of its id."""
    return hashlib.blake2b(str(device_id).encode(), key=secret, digest_size=32,
                           person=b"mf-fleet-sim").digest()


def _now_us() -> int:
    return time.perf_counter_ns() // 1000


class VirtualDevice:
    """`prebuilt`: the shared library of another device (copied: each device has the
    pipeline's and the monitor's static state to itself)."""

    def __init__(self, device_id: int, scenario: str, model: SimModel, key: bytes, seq: int,
                 prebuilt: Path | None = None) -> None:
        self.device_id = device_id
        self.scenario = scenario
        self.model = model
        self.key = key
        self.seq = seq  # of the next record
        self.host = HostMonitoredPipeline(model.library, prebuilt=prebuilt)
        self.host.set_clock(_now_us)  # latency as measured on this machine
        self.period = model.reference.spec.period_windows

    def next_record(self, rng: np.random.Generator, progress: float) -> bytes:
        """Push windows until a period is full (one push per window, as the mcu runner
        does), then the monitor's full record; the monitor is reset for the next one."""
        windows = SCENARIOS[self.scenario](self.model, rng, self.period, progress)
        for window in windows:
            self.host.push(window)
            if self.host.windows() >= self.period:
                break
        data = self.host.record(FORM_FULL, self.device_id, self.seq, self.key)
        self.host.reset()
        self.seq += 1
        return data
