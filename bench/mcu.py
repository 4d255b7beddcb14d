"""Every shared model on the emulated Cortex-M4 (issue 4): flash, RAM, stack, instructions.

    .venv/bin/python -m bench.mcu [--models kws ...] [--inputs 5] [--write-docs]

Each model is compiled, built for the NUCLEO-L4R5ZI profile (cortex-m4, fpv4-sp-d16 hard float,
-O2) and run in QEMU mps2-an386 on seeded random inputs (one QEMU run per model); the
instruction counts come from the project's TCG plugin (exact, deterministic). Latency is an
estimate: instructions x the core's CPI assumption / clock.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.compiler import MODELS
from bench.doc_section import write_section
from microforge.measure.verify import random_inputs
from microforge.paths import shared_data_dir
from microforge.runners.host import compile_and_load
from microforge.runners.mcu import run_model_on_mcu
from microforge.targets.boards import load_board
from microforge.targets.cores import core_spec

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
BOARD = "nucleo_l4r5zi"
SMALL_BOARD = "arduino_nano_33_ble_sense"
CLOCKS_MHZ = (64, 120)


@dataclass(frozen=True)
class McuFigures:
    name: str
    macs: int
    flash: int  # whole firmware: text + rodata + data
    library_flash: int  # the generated library only
    ram: int  # whole firmware: data + bss (arena included), stack excluded
    library_ram: int
    stack: int  # painted-stack high-water mark
    instructions: int  # median per inference
    instructions_min: int
    instructions_max: int
    fits_small: bool  # fits the Arduino Nano 33 BLE Sense (1 MB / 256 KB) with the stack

    @property
    def per_mac(self) -> float:
        return self.instructions / self.macs

    def ms(self, mhz: float, cpi: float) -> float:
        return self.instructions * cpi / (mhz * 1000.0)


def measure(name: str, path: Path, work: Path, n_inputs: int) -> McuFigures:
    model = compile_and_load(path, work / name / "c", name=name)
    samples = random_inputs(model.info, n_inputs, seed=1)
    result = run_model_on_mcu(model, BOARD, samples, work_dir=work / name / "mcu")
    small = load_board(SMALL_BOARD)
    counts = result.instructions
    return McuFigures(
        name=name, macs=sum(op.cost.macs for op in model.info.ops),
        flash=result.flash_bytes, library_flash=result.library_flash_bytes,
        ram=result.ram_bytes, library_ram=result.library_ram_bytes, stack=result.stack_bytes,
        instructions=int(statistics.median(counts)), instructions_min=min(counts),
        instructions_max=max(counts),
        fits_small=result.flash_bytes <= small.flash_bytes
        and result.ram_bytes + result.image.stack_reserved <= small.ram_bytes)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", choices=list(MODELS), default=list(MODELS))
    parser.add_argument("--inputs", type=int, default=5, help="random inputs per model")
    parser.add_argument("--write-docs", action="store_true",
                        help=f"write the section into {DOC.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    data_dir = shared_data_dir()
    if data_dir is None:
        raise SystemExit("../shared/data not found; set MICROFORGE_DATA")
    rows = []
    with tempfile.TemporaryDirectory(prefix="mf_bench_mcu_") as tmp:
        for name in args.models:
            rows.append(measure(name, data_dir / "models" / MODELS[name], Path(tmp),
                                args.inputs))
            print(f"{name}: {rows[-1].instructions:,} instructions", flush=True)
    from bench.mcu_doc import SECTION, section_text

    core = core_spec(load_board(BOARD))
    text = section_text(rows, core, args.inputs)
    print(text)
    if args.write_docs:
        write_section(DOC, SECTION, text)
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
