"""Virtual devices: each runs its own copy of the compiled C pipeline and monitor (host
build) on real windows, and its records verify with its key and count its windows."""

from __future__ import annotations

import stat
from pathlib import Path

import numpy as np
import pytest

from microforge.errors import ConfigError
from microforge.fleet.sim.device import VirtualDevice, device_key, simulator_secret
from microforge.fleet.sim.model import SimModel
from microforge.monitor.drift import assess
from microforge.monitor.telemetry import verify_record


def test_secret_is_made_once_private_and_keys_differ(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "sim.key"
    secret = simulator_secret(path)
    assert simulator_secret(path) == secret and len(secret) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert device_key(secret, 1) != device_key(secret, 2)
    assert device_key(secret, 1) != device_key(simulator_secret(tmp_path / "other"), 1)
    (tmp_path / "bad").write_bytes(b"short")
    with pytest.raises(ConfigError, match="not a simulator secret"):
        simulator_secret(tmp_path / "bad")


@pytest.mark.slow
def test_devices_send_verified_records_of_their_own_windows(sim_model: SimModel) -> None:
    spec = sim_model.reference.spec
    keys = {7: b"k" * 32, 8: b"m" * 32}
    a = VirtualDevice(7, "none", sim_model, keys[7], seq=5)
    b = VirtualDevice(8, "gain_drift", sim_model, keys[8], seq=1, prebuilt=a.host.so_path)
    assert b.host.so_path != a.host.so_path  # its own copy: its own static state
    rng = np.random.default_rng(0)
    first = verify_record(a.next_record(rng, 0.0), keys.get, spec)
    a.host.push(sim_model.x[sim_model.validation[0]])  # a window more on device a only
    drifted = verify_record(b.next_record(rng, 1.0), keys.get, spec)
    assert (first.device_id, first.seq, first.windows) == (7, 5, spec.period_windows)
    assert (drifted.device_id, drifted.seq, drifted.windows) == (8, 1, spec.period_windows)
    assert a.host.windows() == 1 and a.seq == 6
    assert sum(first.class_counts) == spec.period_windows
    assert first.latency_max > 0  # the clock hook measured real latencies
    assert assess(first, sim_model.reference).alerts == []
    assert assess(drifted, sim_model.reference).alerts != []
