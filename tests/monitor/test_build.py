"""[monitor] enabled = true: `microforge compile PROJECT` writes the monitored pipeline; the
generated C pipeline (host, ctypes) fed raw UCI HAR windows keeps the same summaries as the
Python pipeline (fitted block + TFLM + microforge.monitor.summary), bit for bit."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from microforge.cli import main
from microforge.errors import ConfigError
from microforge.monitor.build import REFERENCE_FILE, compile_monitored
from microforge.monitor.host import HostMonitoredPipeline
from microforge.monitor.reference import MonitorReference
from microforge.monitor.spec import FORM_FULL, FORM_TINY
from microforge.monitor.summary import Summary
from microforge.monitor.telemetry import encode_record, verify_record
from tests.monitor.har import HELD_OUT, Har

pytestmark = pytest.mark.slow
KEY = b"\x5a" * 32

TOML = """
[project]
name = "har_mon"
output_dir = "out"
[dataset]
path = "{data}/datasets/uci_har_test"
format = "uci_har"
[windowing]
window_ms = 2560
stride_ms = 2560
[split]
seed = 0
test_fraction = 0.3
val_fraction = 0.2
[dsp]
block = "raw"
[dsp.params]
normalize = true
[monitor]
enabled = {enabled}
period_windows = 16
"""


def _project(har: Har, shared: Path, folder: Path, enabled: bool = True) -> Path:
    toml = folder / "microforge.toml"
    toml.write_text(TOML.format(data=shared, enabled=str(enabled).lower()))
    out = folder / "out"
    out.mkdir()
    (out / "dsp.json").write_text(json.dumps({"block": "raw", "state": har.block.state_dict()}))
    (out / "labels.json").write_text(json.dumps([f"c{i}" for i in range(6)]))
    (out / "model_int8.tflite").write_bytes(har.model)
    return toml


def test_pipeline_c_monitor_equals_python(har: Har, shared_data: Path, tmp_path: Path) -> None:
    toml = _project(har, shared_data, tmp_path)
    assert main(["compile", str(toml), "-o", str(tmp_path / "lib")]) == 0
    ref = MonitorReference.load(tmp_path / "lib" / REFERENCE_FILE)
    assert ref.source == "validation" and ref.spec.period_windows == 16
    assert {"har_mon_monitor.c", "mf_monitor.c", "monocypher.c", "LICENSE-monocypher.txt"} <= \
        {p.name for p in (tmp_path / "lib").iterdir()}
    # the CLI's library (the host runner needs its name, folder and channels)
    host = HostMonitoredPipeline(SimpleNamespace(name="har_mon", out_dir=tmp_path / "lib",
                                                 constants=SimpleNamespace(channels=9)))
    windows = har.x[har.mask(HELD_OUT)][:40]
    decisions = host.push(windows.reshape(-1, 9))
    assert len(decisions) == 40 and host.windows() == 40
    inputs, scores = har.int8(windows)
    python = Summary(ref.spec)
    for x, q in zip(inputs, scores, strict=True):
        python.observe(x, q, 0)  # no clock set: latency 0
    for form in (FORM_FULL, FORM_TINY):
        data = host.record(form, 3, 8, KEY)
        assert data == encode_record(python, device_id=3, seq=8, key=KEY, form=form)
        assert verify_record(data, {3: KEY}.get, ref.spec).windows == 40
    assert [d.label for d in decisions] == list(np.argmax(scores, axis=1))
    for cap, key, form in ((20, KEY, FORM_FULL), (4096, b"", FORM_FULL), (4096, KEY, 3)):
        with pytest.raises(ValueError, match="returned -[12]"):
            host.record(form, 3, 8, key, cap)  # too small; no key; no such form

    # the latency hook: a clock advancing 7 us per call -> 7 us per window
    ticks = [0]

    def clock() -> int:
        ticks[0] += 7
        return ticks[0]

    host.set_clock(clock)
    host.reset()
    host.push(windows[:5].reshape(-1, 9))
    host.set_clock(None)
    timed = verify_record(host.record(FORM_FULL, 3, 9, KEY), {3: KEY}.get, ref.spec)
    assert (timed.windows, timed.latency_min, timed.latency_mean, timed.latency_max) == (5, 7, 7, 7)


def test_monitor_disabled_is_a_one_line_error(har: Har, shared_data: Path,
                                              tmp_path: Path) -> None:
    toml = _project(har, shared_data, tmp_path, enabled=False)
    with pytest.raises(ConfigError, match=r"monitor.enabled is false"):
        compile_monitored(toml, tmp_path / "lib")
    assert not (tmp_path / "lib").exists()
