"""The docs/benchmarks.md section of bench.mcu: our Cortex-M4 figures, and MLPerf Tiny's
published latencies on real boards beside them."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.mcu import McuFigures
    from microforge.targets.cores import CoreSpec

SECTION = "## On the Cortex-M4 (issue 4)"
COMMAND = ".venv/bin/python -m bench.mcu --write-docs"
KWS_GOAL_PER_MAC = 2.0

V05 = ("https://github.com/mlcommons/tiny_results_v0.5/tree/main/closed/reference/results/"
       "Nucleo-L4R5ZI (`<task>/performance/results.txt`, median throughput)")
V11 = ("https://github.com/mlcommons/tiny_results_v1.1/blob/main/closed/Krai/results/README.md")


@dataclass(frozen=True)
class Published:
    task: str
    ours: str | None  # our model name in bench.compiler.MODELS, None if not in shared data
    tflm_v05: float  # inferences per second, MLPerf Tiny v0.5 reference (TFLM v2.3.1)
    xcube_v11: float  # v1.1, Krai, X-CUBE-AI 8.0.0
    tvm_cmsis_v11: float  # v1.1, Krai, microTVM + CMSIS-NN


# MLPerf Tiny closed division on NUCLEO-L4R5ZI (STM32L4R5, Cortex-M4F at 120 MHz), throughput
# in inferences per second as published; latency = 1000 / throughput.
PUBLISHED = [
    Published("Keyword spotting (DS-CNN)", "kws", 5.497, 13.759, 10.019),
    Published("Anomaly detection (FC autoencoder)", "ad_int8", 99.487, 131.950, 116.212),
    Published("Image classification (ResNet-8)", "ic_int8", 1.420, 4.505, 2.567),
    Published("Visual wake words (MobileNet)", None, 1.665, 4.522, 3.324),
]


def _head_commit() -> str:
    root = Path(__file__).resolve().parents[1]
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                          capture_output=True, text=True).stdout.strip()
    return head or "unknown"


def figures_table(rows: list[McuFigures], core: CoreSpec) -> str:
    cpi = core.cycles_per_instruction
    lines = ["| model | MACs | flash firmware (library) B | static RAM firmware (library) B | "
             "stack B | instructions / inference | instr / MAC | est. ms @ 64 MHz | "
             "est. ms @ 120 MHz | fits Nano 33 BLE |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        spread = "" if r.instructions_min == r.instructions_max else \
            f" ({r.instructions_min:,}-{r.instructions_max:,})"
        lines.append(
            f"| {r.name} | {r.macs:,} | {r.flash:,} ({r.library_flash:,}) | "
            f"{r.ram:,} ({r.library_ram:,}) | {r.stack:,} | {r.instructions:,}{spread} | "
            f"{r.per_mac:.2f} | {r.ms(64, cpi):.2f} | {r.ms(120, cpi):.2f} | "
            f"{'yes' if r.fits_small else 'no'} |")
    return "\n".join(lines) + "\n"


def published_table(rows: list[McuFigures], core: CoreSpec) -> str:
    ours = {r.name: r for r in rows}
    lines = ["| task | microforge today, estimated ms @ 120 MHz (emulated) | TFLM v2.3.1 "
             "reference, MLPerf Tiny v0.5 (measured) | X-CUBE-AI 8.0.0, v1.1 (measured) | "
             "microTVM + CMSIS-NN, v1.1 (measured) |",
             "|---|---:|---:|---:|---:|"]
    for p in PUBLISHED:
        mine = ours.get(p.ours or "")
        if mine is not None:
            est = f"{mine.ms(120, core.cycles_per_instruction):.1f}"
        else:
            est = "not measured in this run" if p.ours else "model not in the shared data"
        lines.append(f"| {p.task} | {est} | {1000 / p.tflm_v05:.1f} | {1000 / p.xcube_v11:.1f} |"
                     f" {1000 / p.tvm_cmsis_v11:.1f} |")
    return "\n".join(lines) + "\n"


def goal_text(rows: list[McuFigures]) -> str:
    kws = next((r for r in rows if r.name == "kws"), None)
    if kws is None:
        return ""
    verdict = "reached" if kws.per_mac <= KWS_GOAL_PER_MAC else "NOT reached yet"
    return (f"- KWS <= {KWS_GOAL_PER_MAC} instructions per MAC: {verdict}: {kws.per_mac:.2f} "
            "at -O2 with the SIMD32 kernel paths of the Cortex-M4 (docs/compiler.md; per kernel: "
            "\"KWS kernels on the Cortex-M4 against CMSIS-NN\" below).\n")


def section_text(rows: list[McuFigures], core: CoreSpec, n_inputs: int) -> str:
    return f"""{SECTION}

Produced by `{COMMAND}` (commit {_head_commit()}): each model compiled, built for the
NUCLEO-L4R5ZI profile ({' '.join(core.cflags)}, -O2, newlib-nano) and run on {n_inputs} seeded
random inputs in one QEMU `{core.machine}` run. See docs/mcu.md for how it works.

- Flash = text + rodata + data of the whole firmware (startup, semihosting harness, app, libc
  pieces, library); in brackets the library alone (the generated model C: constants, code and
  kernels, as the linker kept them). Static RAM = data + bss (the arena included), the 8 KB
  reserved stack excluded; in brackets the library alone (arena + I/O buffers are in the app).
- Stack = the painted-stack high-water mark of the whole run (harness included).
- Instructions per inference: exact counts from the QEMU plugin between the markers around
  each invoke (median; range when inputs change the count, e.g. float or ReLU paths).
- Estimated latency = instructions x {core.cycles_per_instruction} cycles per instruction /
  clock. The CPI is an {core.cpi_source}. It is an estimate, not a measurement: no board is
  attached; 64 MHz is the Arduino Nano 33 BLE Sense clock, 120 MHz the NUCLEO-L4R5ZI's.

{figures_table(rows, core)}
MLPerf Tiny's published latencies for the same tasks, **measured on real NUCLEO-L4R5ZI boards
(STM32L4R5, Cortex-M4F; 120 MHz in the v0.5 reference system description) by others**, converted from the published throughput (1000 /
inferences per second), beside our emulated estimate (same models for KWS, AD and IC: the
shared data holds the MLPerf Tiny reference models; VWW is not in the shared data). Sources:
v0.5 reference submission (TFLM v2.3.1, mbed-os, gcc 6): {V05}; v1.1 Krai submission
(X-CUBE-AI 8.0.0, and microTVM with CMSIS-NN): {V11}.

{published_table(rows, core)}
Against the goal (DESIGN.md, "Where the bar is"):

{goal_text(rows)}"""

