"""The monitored HAR pipeline on the emulated Cortex-M4 (QEMU mps2-an386, built with
arm-none-eabi-gcc -Werror): its full and tiny records, produced on the device after real
windows, are byte for byte the records Python computes from the same windows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from microforge.library.assemble import compile_pipeline
from microforge.monitor.emit import write_monitor
from microforge.monitor.mcu import run_monitored_on_mcu
from microforge.monitor.spec import FORM_FULL, FORM_TINY
from microforge.monitor.summary import Summary
from microforge.monitor.telemetry import encode_record, verify_record
from microforge.postprocess import PostprocessParams
from tests.monitor.har import HELD_OUT, Har

pytestmark = pytest.mark.slow
BOARD = "nucleo_l4r5zi"
KEY = bytes(range(100, 132))


def monitored_library(har: Har, out: Path):
    return compile_pipeline(har.block, har.model, [f"c{i}" for i in range(6)], 128,
                            PostprocessParams(), out, name="har",
                            extra=lambda folder: write_monitor("har", har.ref.spec, folder))


def test_records_on_the_m4_equal_python(har: Har, tmp_path: Path) -> None:
    if shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None:
        pytest.skip("needs arm-none-eabi-gcc and qemu-system-arm")
    library = monitored_library(har, tmp_path / "lib")
    windows = har.x[har.mask(HELD_OUT)][:12]
    run = run_monitored_on_mcu(library, BOARD, windows, key=KEY, device_id=3, seq=8)
    summary = Summary(har.ref.spec)
    for x, q in zip(*har.int8(windows), strict=True):
        summary.observe(x, q, 0)
    assert run.full == encode_record(summary, device_id=3, seq=8, key=KEY, form=FORM_FULL)
    assert run.tiny == encode_record(summary, device_id=3, seq=8, key=KEY, form=FORM_TINY)
    assert verify_record(run.tiny, {3: KEY}.get, har.ref.spec).windows == 12
    assert run.record_instructions[0] > 0 and run.instructions_per_window > 0
