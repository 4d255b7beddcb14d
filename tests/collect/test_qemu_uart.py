"""The emulated Cortex-M4 (QEMU mps2-an386) as the device: firmware prints data-forwarder lines
on its UART, paced by SysTick, QEMU puts the UART on a pty (`-serial pty`), `collect` records
it. Every line must arrive, in order, with the values the firmware computed.

The emulated SysTick is clocked by the host and a starved guest loses periods, so under heavy
load the stream itself slows down: the firmware's rate is given (`rate=100`) and the measured
one only reported; the pty simulator tests hold the rate detection to 1 %."""

from __future__ import annotations

import re
import subprocess

import numpy as np
import pytest

from microforge.collect import collect
from microforge.collect.session import open_port
from microforge.data import CsvOptions, DatasetSpec, load_dataset
from microforge.targets.toolchain import toolchain_available

needs_arm = pytest.mark.skipif(not toolchain_available("arm"),
                               reason="no arm-none-eabi-gcc / qemu-system-arm")

LINES = 200
# CMSDK APB UART0 and SysTick of the MPS2 AN386; SysTick at the 25 MHz CPU clock: 100 Hz.
APP = r"""
#include <stdint.h>
#include "mf_harness.h"
#define UART0_DATA  (*(volatile uint32_t *)0x40004000u)
#define UART0_STATE (*(volatile uint32_t *)0x40004004u)
#define UART0_CTRL  (*(volatile uint32_t *)0x40004008u)
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

static char *num(char *p, int v) {
    char tmp[12];
    int n = 0;
    unsigned u = v < 0 ? (unsigned)(-v) : (unsigned)v;
    if (v < 0) *p++ = '-';
    do { tmp[n++] = (char)('0' + u % 10u); u /= 10u; } while (u);
    while (n) *p++ = tmp[--n];
    return p;
}

static void put(const char *s) {
    while (*s) {
        while (UART0_STATE & 1u) {}
        UART0_DATA = (uint8_t)*s++;
    }
}

int mf_app_main(void) {
    char line[48];
    UART0_CTRL = 1u; /* TX enable */
    SYST_RVR = 250000u - 1u; SYST_CVR = 0u; SYST_CSR = 5u; /* CPU clock, no interrupt */
    put("boot: uart stream\r\n");
    for (int k = 0; k < LINES; ++k) {
        while (!(SYST_CSR & (1u << 16))) {}
        char *p = num(line, k); *p++ = ',';
        p = num(p, (k * 37) % 101 - 50); *p++ = ',';
        p = num(p, (k * k) % 97); *p++ = '\r'; *p++ = '\n'; *p = 0;
        put(line);
    }
    /* stay 0.3 s before QEMU exits: a pty closed right after the last write may lose it */
    for (int idle = 0; idle < 30; ++idle) {
        while (!(SYST_CSR & (1u << 16))) {}
    }
    return 0;
}
"""


@needs_arm
def test_firmware_uart_stream_collected_end_to_end(tmp_path):
    from microforge.runners.firmware import FirmwareSource, build_firmware
    from microforge.runners.mcu import qemu_command

    image = build_firmware("nucleo_l4r5zi", FirmwareSource([], [], APP.replace(
        "LINES", str(LINES)), "uart_stream"), tmp_path / "fw")
    cmd = qemu_command(image, tmp_path / "counts")
    cmd[cmd.index("-nographic")] = "-display"
    cmd.insert(cmd.index("-display") + 1, "none")
    cmd += ["-serial", "pty", "-monitor", "none"]
    qemu = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    try:
        said = qemu.stdout.readline().decode()
        match = re.search(r"(/dev/pts/\d+)", said)
        assert match, f"QEMU did not report its pty: {said!r}"
        result = collect(open_port(match.group(1)), "fw", tmp_path / "data", seconds=20,
                         session="qemu", axes=["k", "a", "b"], rate=100.0)
        assert qemu.wait(timeout=30) == 0
    finally:
        if qemu.poll() is None:
            qemu.kill()
            qemu.wait()
    print(f"QEMU UART stream: {result.samples} samples, measured {result.rate.measured:.4g} Hz,"
          f" recorded at {result.recorded_rate:g} Hz; {result.stats.text_lines} text line(s), "
          f"{result.stats.garbled} garbled; stopped: {result.stopped}")
    assert result.stopped == "disconnected"  # QEMU exits when the firmware returns
    assert (result.stats.garbled, result.stats.wrong_width) == (0, 0)
    k = np.arange(LINES)
    expected = np.column_stack([k, (k * 37) % 101 - 50, (k * k) % 97]).astype(np.float32)
    (recording,) = load_dataset(DatasetSpec(tmp_path / "data", format="csv",
                                            csv=CsvOptions(timestamp_column="timestamp"))
                                ).recordings
    start = int(recording.signal[0, 0])  # lines sent before the port was open are discarded
    assert start < 20
    np.testing.assert_array_equal(recording.signal, expected[start:])
    assert recording.group == "qemu" and result.recorded_rate == 100.0
