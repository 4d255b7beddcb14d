"""The generated monitor on the host. HostMonitoredPipeline: a monitored pipeline library
loaded with ctypes (push samples, read records). HostMonitor: a small C harness (gcc, optionally ASan/UBSan) that reads
windows (int8 inputs, int8 scores, latency) from a file, reports every period and writes the
records and the exact Welford state back, for comparison with microforge.monitor.summary.

    periods = HostMonitor(library_dir, "har", spec, sanitize=True).run(inputs, scores, key=key)
"""

from __future__ import annotations

import ctypes
import struct
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from microforge.monitor.spec import MonitorSpec
from microforge.runners.host import SANITIZER_FLAGS, gcc_compile
from microforge.runners.pipeline_host import HostPipeline

_MAIN = """/* monitor harness: windows from argv[1], records + state to argv[2] */
#include <stdio.h>
#include <stdlib.h>
#include "{name}_monitor.h"

static int8_t input[{n_inputs}];
static int8_t scores[{n_classes}];
static uint8_t key[64];
static uint8_t record[{full_max}];

static int report(FILE *out, uint32_t seq, size_t key_len) {{
    const mf_monitor_state *st = mf_{name}_monitor_state();
    int form;
    uint32_t f;
    for (form = MF_MONITOR_FULL; form <= MF_MONITOR_TINY; ++form) {{
        int32_t n = mf_{name}_monitor_record(form, {device_id}u, seq, key, key_len, record,
                                             sizeof record);
        uint16_t len = (uint16_t)n;
        if (n < 0) {{
            return 1;
        }}
        fwrite(&len, 2, 1, out);
        fwrite(record, 1, (size_t)n, out);
    }}
    fwrite(&st->windows, 4, 1, out);
    fwrite(&st->latency_min, 4, 1, out);
    fwrite(&st->latency_sum, 4, 1, out);
    for (f = 0u; f < {n_features}u; ++f) {{
        fwrite(&st->welford[f].n, 4, 1, out);
        fwrite(&st->welford[f].mean, 4, 1, out);
        fwrite(&st->welford[f].m2, 8, 1, out);
    }}
    mf_{name}_monitor_reset();
    return 0;
}}

int main(int argc, char **argv) {{
    FILE *in, *out, *kf;
    size_t key_len;
    uint32_t latency, seq = {seq0}u, windows = 0u;
    if (argc != 4 || (in = fopen(argv[1], "rb")) == NULL || (kf = fopen(argv[3], "rb")) == NULL) {{
        return 3;
    }}
    key_len = fread(key, 1, sizeof key, kf);
    fclose(kf);
    if ((out = fopen(argv[2], "wb")) == NULL) {{
        return 5;
    }}
    while (fread(input, 1, sizeof input, in) == sizeof input) {{
        if (fread(scores, 1, sizeof scores, in) != sizeof scores || fread(&latency, 4, 1, in) != 1) {{
            return 4;
        }}
        mf_{name}_monitor_input(input);
        mf_{name}_monitor_output(scores, latency);
        if (++windows == MF_{macro}_MONITOR_PERIOD) {{
            if (report(out, seq++, key_len) != 0) {{
                return 6;
            }}
            windows = 0u;
        }}
    }}
    if (windows > 0u && report(out, seq, key_len) != 0) {{
        return 6;
    }}
    fclose(in);
    fclose(out);
    return 0;
}}
"""

SANITIZE = list(SANITIZER_FLAGS)


@dataclass(frozen=True)
class HostPeriod:
    full: bytes
    tiny: bytes
    windows: int
    latency_min: int
    latency_sum: int
    welford: tuple[tuple[int, int, int], ...]  # (n, mean Q16, m2 Q16) per feature


class HostMonitor:
    """The harness built once (only the monitor's own files: <name>_monitor.c, mf_monitor.c,
    mf_cbor.c, monocypher.c), run on as many window streams as needed."""

    def __init__(self, monitor_dir: Path, name: str, spec: MonitorSpec, *, device_id: int = 1,
                 seq0: int = 0, sanitize: bool = False) -> None:
        self.spec = spec
        self._tmp = tempfile.TemporaryDirectory(prefix="mf_monitor_host_")
        src = Path(self._tmp.name) / "src"
        src.mkdir()
        for f in (f"{name}_monitor.c", f"{name}_monitor.h", "mf_monitor.c", "mf_monitor.h",
                  "mf_cbor.c", "mf_cbor.h", "monocypher.c", "monocypher.h"):
            (src / f).write_bytes((Path(monitor_dir) / f).read_bytes())
        (src / "mn_main.c").write_text(_MAIN.format(
            name=name, macro=name.upper(), n_inputs=spec.n_inputs, n_classes=spec.n_classes,
            full_max=spec.max_record_bytes(1), n_features=spec.n_features,
            device_id=device_id, seq0=seq0), encoding="utf-8")
        self.exe = Path(self._tmp.name) / "mn"
        gcc_compile(src, self.exe, SANITIZE if sanitize else ["-O2"])

    def run(self, inputs: np.ndarray, scores: np.ndarray, *, key: bytes,
            latencies: np.ndarray | None = None) -> list[HostPeriod]:
        """Every period's records and state (the last period may be partial)."""
        inputs = np.asarray(inputs, np.int8).reshape(len(inputs), -1)
        scores = np.asarray(scores, np.int8).reshape(len(scores), -1)
        lat = np.zeros(len(inputs), np.uint32) if latencies is None else \
            np.asarray(latencies, np.uint32)
        with tempfile.TemporaryDirectory(prefix="mf_monitor_run_") as tmp:
            blob = b"".join(i.tobytes() + s.tobytes() + struct.pack("<I", int(t))
                            for i, s, t in zip(inputs, scores, lat, strict=True))
            (Path(tmp) / "in.bin").write_bytes(blob)
            (Path(tmp) / "key.bin").write_bytes(key)
            done = subprocess.run([str(self.exe), str(Path(tmp) / "in.bin"),
                                   str(Path(tmp) / "out.bin"), str(Path(tmp) / "key.bin")],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"monitor harness exit {done.returncode}: "
                                   f"{done.stderr[:3000]}")
            return _periods((Path(tmp) / "out.bin").read_bytes(), self.spec.n_features)


def run_host_monitor(monitor_dir: Path, name: str, spec: MonitorSpec, inputs: np.ndarray,
                     scores: np.ndarray, *, key: bytes, device_id: int = 1, seq0: int = 0,
                     latencies: np.ndarray | None = None,
                     sanitize: bool = False) -> list[HostPeriod]:
    """HostMonitor(...).run(...) once."""
    host = HostMonitor(monitor_dir, name, spec, device_id=device_id, seq0=seq0,
                       sanitize=sanitize)
    return host.run(inputs, scores, key=key, latencies=latencies)


def _periods(data: bytes, n_features: int) -> list[HostPeriod]:
    out, pos = [], 0
    while pos < len(data):
        records = []
        for _ in range(2):
            (n,) = struct.unpack_from("<H", data, pos)
            records.append(data[pos + 2:pos + 2 + n])
            pos += 2 + n
        windows, lat_min, lat_sum = struct.unpack_from("<III", data, pos)
        pos += 12
        welford = []
        for _ in range(n_features):
            welford.append(struct.unpack_from("<IiQ", data, pos))
            pos += 16
        out.append(HostPeriod(records[0], records[1], windows, lat_min, lat_sum, tuple(welford)))
    return out


_CLOCK = ctypes.CFUNCTYPE(ctypes.c_uint32)


class HostMonitoredPipeline(HostPipeline):
    """A monitored pipeline library on the host (gcc, ctypes): the streaming API of
    HostPipeline plus the monitor's record, reset, window count and clock hook.

        host = HostMonitoredPipeline(library)     # compile_monitored(...)[0]
        host.push(signal); data = host.record(FORM_FULL, device_id, seq, key); host.reset()
    """

    def __init__(self, library, opt: str = "-O2", prebuilt: Path | None = None) -> None:
        super().__init__(library, opt, prebuilt)
        prefix = f"mf_{self.name}_monitor"
        self._record = getattr(self._lib, f"{prefix}_record")
        self._record.argtypes = [ctypes.c_int, ctypes.c_uint32, ctypes.c_uint32,
                                 ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                 ctypes.c_size_t]
        self._record.restype = ctypes.c_int32
        self._windows = getattr(self._lib, f"{prefix}_windows")
        self._windows.restype = ctypes.c_uint32
        self._reset = getattr(self._lib, f"{prefix}_reset")
        self._set_clock = getattr(self._lib, f"{prefix}_set_clock")
        self._set_clock.argtypes = [ctypes.c_void_p]
        self._clock: object | None = None

    def windows(self) -> int:
        return int(self._windows())

    def reset(self) -> None:
        self._reset()

    def set_clock(self, now_us: Callable[[], int] | None) -> None:
        """The latency clock (microseconds), or None (latency 0)."""
        self._clock = None if now_us is None else _CLOCK(lambda: int(now_us()) & 0xFFFFFFFF)
        self._set_clock(None if self._clock is None else ctypes.cast(self._clock,
                                                                      ctypes.c_void_p))

    def record(self, form: int, device_id: int, seq: int, key: bytes, cap: int = 4096) -> bytes:
        """The period's record, as mf_<name>_monitor_record writes it."""
        buf = ctypes.create_string_buffer(cap)
        n = self._record(form, device_id, seq, key, len(key), buf, cap)
        if n < 0:
            raise ValueError(f"mf_{self.name}_monitor_record returned {n}")
        return buf.raw[:n]
