"""On-device monitoring (issue 15): what the monitor adds to the UCI HAR pipeline on the
emulated Cortex-M4 (RAM, flash, instructions per inference, the record's cost), record sizes
and telemetry bytes per day, and the drift detection figures on real HAR streams.

    .venv/bin/python -m bench.monitor [--write-docs]

A small int8 cnn1d (tests/monitor/har.py: trained on 5 of the 9 UCI HAR test-split subjects,
raw normalised 128 x 9 windows) is compiled twice with the same app: without the monitor and
with it ([monitor] defaults: 9 feature groups x 6 bins, 6 confidence and 6 margin bins, a 32-window
period). Both firmwares run the same 32 held-out windows on QEMU mps2-an386 (NUCLEO-L4R5ZI
profile, -O2); instruction counts from the project's TCG plugin (exact).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from tests.monitor.har import HELD_OUT, train_har
from tests.monitor.test_drift import Streams, _gain, _noise, _offset
from tests.monitor.test_mcu import monitored_library

from bench.doc_section import markdown_table, write_section
from microforge.library.assemble import compile_pipeline
from microforge.monitor.drift import assess
from microforge.monitor.mcu import run_monitored_on_mcu
from microforge.monitor.spec import FORM_FULL
from microforge.paths import shared_data_dir
from microforge.postprocess import PostprocessParams
from microforge.runners.sizes import measure_library

BOARD = "nucleo_l4r5zi"
HEADING = "## On-device monitoring (issue 15)"
KEY = bytes(range(32))


def measure(har, folder: Path) -> dict:
    windows = har.x[har.mask(HELD_OUT)][:har.ref.spec.period_windows]
    plain = compile_pipeline(har.block, har.model, [f"c{i}" for i in range(6)], 128,
                             PostprocessParams(), folder / "plain", name="har")
    monitored = monitored_library(har, folder / "monitored")
    cap = har.ref.spec.max_record_bytes(FORM_FULL)
    base = run_monitored_on_mcu(plain, BOARD, windows, key=KEY, monitor=False, record_cap=cap)
    mon = run_monitored_on_mcu(monitored, BOARD, windows, key=KEY, device_id=3, seq=8,
                               record_cap=cap)
    own = {"har_monitor.c", "mf_monitor.c", "mf_cbor.c"}
    sizes = measure_library(monitored.out_dir, lambda f: "monitor" if f in own else "other")
    return {"base": base, "mon": mon, "windows": len(windows), "cap": cap,
            "own": sizes.parts["monitor"]}


def drift_rows(har) -> list[list[str]]:
    streams = Streams(har)
    held = np.flatnonzero(har.mask(HELD_OUT))
    rows = []
    cases = [("no shift (validation subjects)", streams.pool, None, None, 100),
             ("held-out subjects", held, None, None, 100),
             ("total-acc gain x1.3", streams.pool, _gain, None, 20),
             ("total-acc offset +0.2 g", streams.pool, _offset, None, 20),
             ("noise sd 0.15 (all channels)", streams.pool, _noise, None, 20)]
    y = har.y[streams.pool]
    walking = y == 0
    mix = np.where(walking, 0.7 / walking.sum(), 0.3 / (~walking).sum())
    cases.append(("class mix 70 % walking", streams.pool, None, mix, 20))
    cases.append(("noise sd 0.05 (all channels)", streams.pool, _noise_small, None, 20))
    for name, pool, transform, probs, periods in cases:
        records, accuracy = streams.run(pool, periods, transform, probs)
        reports = [assess(r, streams.ref) for r in records]
        alerts = [bool(r.alerts) for r in reports]
        first = alerts.index(True) if any(alerts) else None
        estimated = np.array([r.estimated_accuracy for r in reports])
        rows.append([name, str(periods), f"{100 * np.mean(alerts):.0f} %",
                     "-" if first is None else f"{(first + 1) * 32}",
                     f"{100 * accuracy.mean():.1f} %", f"{100 * estimated.mean():.1f} %",
                     f"{100 * np.abs(estimated - accuracy).mean():.1f}"])
    return rows


def _noise_small(x: np.ndarray) -> np.ndarray:
    return x + np.random.default_rng(1).normal(0, 0.05, x.shape).astype(np.float32)


def render(m: dict, drift: list[list[str]], ref_accuracy: float) -> str:
    base, mon = m["base"], m["mon"]
    added = mon.instructions_per_window - base.instructions_per_window
    period_cost = added + mon.record_instructions[0] / m["windows"]
    sizes = markdown_table(
        ["figure (Cortex-M4, -O2 firmware)", "without monitor", "with monitor", "added"], "lrrr",
        [["flash (firmware, B)", f"{base.image.flash_bytes:,}", f"{mon.image.flash_bytes:,}",
          f"{mon.image.flash_bytes - base.image.flash_bytes:,}"],
         ["static RAM (data + bss, B)", f"{base.image.ram_bytes:,}", f"{mon.image.ram_bytes:,}",
          f"{mon.image.ram_bytes - base.image.ram_bytes:,}"],
         ["of which the monitor's own objects (-Os: state, tables)", "",
          f"{m['own'].ram_bytes:,} RAM, {m['own'].flash_bytes:,} flash", ""],
         ["stack high-water (B)", f"{base.stack_bytes:,}", f"{mon.stack_bytes:,}",
          f"{mon.stack_bytes - base.stack_bytes:,}"],
         ["instructions per window (DSP + model)", f"{base.instructions_per_window:,.0f}",
          f"{mon.instructions_per_window:,.0f}",
          f"{added:,.0f} ({100 * added / base.instructions_per_window:.2f} %)"],
         ["full record (once per period)", "", f"{mon.record_instructions[0]:,}", ""],
         ["tiny record (once per period)", "", f"{mon.record_instructions[1]:,}", ""],
         ["per window, full record amortised over 32", "", "",
          f"{period_cost:,.0f} ({100 * period_cost / base.instructions_per_window:.2f} %)"]])
    per_day = 86400 / (32 * 2.56)
    records = markdown_table(
        ["record", "bytes (this period)", "records/day (32 x 2.56 s windows)", "bytes/day"],
        "lrrr",
        [["full", f"{len(mon.full)}", f"{per_day:,.0f}", f"{len(mon.full) * per_day:,.0f}"],
         ["tiny", f"{len(mon.tiny)}", f"{per_day:,.0f}", f"{len(mon.tiny) * per_day:,.0f}"]])
    drift_table = markdown_table(
        ["stream (periods of 32 windows)", "periods", "periods alerting", "first alert by window",
         "true accuracy", "estimated", "mean abs error (points)"], "lrrrrrr", drift)
    return f"""{HEADING}

`python -m bench.monitor --write-docs`. A small int8 cnn1d on UCI HAR (trained on 5 of the 9
test-split subjects; validation accuracy {100 * ref_accuracy:.1f} %), compiled with and without
the monitor ([monitor] defaults: 9 feature groups x 6 bins, 6 confidence and 6 margin bins,
32-window period); the same app pushes 32 held-out windows through each on QEMU mps2-an386
(NUCLEO-L4R5ZI profile); instruction counts are exact (TCG plugin). The monitored firmware also
builds both records (keyed BLAKE2b from Monocypher); its records equal Python's byte for byte
(tests/monitor/test_mcu.py). The monitored app also holds a {m['cap']}-byte record buffer (the largest full
record) and the 32-byte key, counted in its static RAM (the plain app's are optimised away). The
added flash is mostly Monocypher's BLAKE2b (its unrolled compression function is 15 KB, at -O2
and at -Os). Goals: <= 2 KB RAM and <= 5 % instructions per inference.

{sizes}

{records}

Drift on real HAR streams (the C monitor on the host, records verified and decoded, assessed
against the reference of half the validation windows; tests/monitor/test_drift.py asserts the
bounds):

{drift_table}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    shared = shared_data_dir()
    if shared is None:
        raise SystemExit("needs ../shared/data (or MICROFORGE_DATA)")
    har = train_har(shared)
    with tempfile.TemporaryDirectory(prefix="bench_monitor_") as tmp:
        measured = measure(har, Path(tmp))
    text = render(measured, drift_rows(har), har.ref.accuracy)
    print(text)
    if args.write_docs:
        write_section(Path("docs/benchmarks.md"), HEADING, text)


if __name__ == "__main__":
    main()
