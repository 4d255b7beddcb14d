"""Instructions, instruction mix and estimated cycles per inference of every shared int8 model on
every emulated core (issue 12: "cycles, not only instructions").

    .venv/bin/python -m bench.cycles [--models kws ...] [--write-docs]

Each model is compiled for the board of each core (its kernel variants, codegen/variants.py) and
run on one seeded random input there (QEMU, -O2). The instruction counts are exact; the mix is the QEMU plugin's class of every executed
instruction; the cycles are estimates from the per-class table of each core
(microforge.targets.cycle_model, its sources stated in the docs section).
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.compiler import MODELS
from bench.doc_section import markdown_table, write_section
from microforge.measure.verify import random_inputs
from microforge.paths import shared_data_dir
from microforge.runners.host import compile_and_load
from microforge.runners.mcu import run_model_on_mcu
from microforge.targets.boards import load_board
from microforge.targets.cores import core_spec
from microforge.targets.cycle_model import CYCLE_TABLES, InstructionMix, cycle_table

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Cycles from the instruction mix (issue 12)"
BOARDS = ("nucleo_l4r5zi", "stm32f746g_disco", "b_u585i_iot02a", "raspberry_pi_pico",
          "esp32_c3")
INT8_MODELS = ("hello_world_int8", "kws", "micro_speech", "ad_int8", "ic_int8")
SHOWN_CLASSES = ("alu", "load", "mem_pipelined", "store", "multi", "mul", "branch_taken")


@dataclass(frozen=True)
class CycleFigures:
    model: str
    core: str
    instructions: int
    mix: InstructionMix
    cycles: float
    flat_cpi: float

    @property
    def cpi(self) -> float:
        return self.cycles / self.instructions


def measure(name: str, path: Path, work: Path) -> list[CycleFigures]:
    rows = []
    for board_id in BOARDS:  # compiled for each board: its core's kernel variants
        model = compile_and_load(path, work / name / board_id / "c", name=name, target=board_id)
        inputs = random_inputs(model.info, 1, seed=1)
        core = core_spec(load_board(board_id))
        result = run_model_on_mcu(model, board_id, inputs, work_dir=work / name / board_id)
        mix = result.mixes[0]
        rows.append(CycleFigures(name, core.name, result.instructions[0], mix,
                                 cycle_table(core.name).estimate(mix),
                                 core.cycles_per_instruction))
    return rows


def doc_text(rows: list[CycleFigures]) -> str:
    header = ["model", "core", "instructions", "est. cycles", "cycles/instr. (mix)",
              "flat CPI assumed before", *[f"% {c}" for c in SHOWN_CLASSES]]
    table = markdown_table(header, "llrrrr" + "r" * len(SHOWN_CLASSES), [
        [r.model, r.core, f"{r.instructions:,}", f"{r.cycles:,.0f}", f"{r.cpi:.2f}",
         f"{r.flat_cpi:g}", *[f"{100 * r.mix.share(c):.1f}" for c in SHOWN_CLASSES]]
        for r in rows])
    sources = "\n".join(f"- `{core}`: {CYCLE_TABLES[core].source}."
                        for core in dict.fromkeys(r.core for r in rows))
    return f"""{HEADING}

`python -m bench.cycles --write-docs` (QEMU 7.2, arm-none-eabi-gcc / riscv64-unknown-elf-gcc
12.2, -O2, one seeded random input; boards {", ".join(BOARDS)}). The QEMU plugin puts every
executed instruction in one class (its counts add up to the exact instruction count; a test runs
a hand-written loop on M4, M0+ and RV32 and checks every class, taken and not-taken branches
included); the cycles are estimates from each core's per-class table below. QEMU models no
pipeline, cache or wait state: the estimate assumes zero-wait-state memory and cannot see
result-use stalls. "% mem_pipelined" are single loads/stores right after another one (1 cycle on
the Armv7-M cores, 2 on the M0+; not counted on RISC-V).

{table}

Cycle tables:
{sources}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=list(INT8_MODELS))
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    data = shared_data_dir()
    if data is None:
        raise SystemExit("bench.cycles needs ../shared/data (or MICROFORGE_DATA)")
    rows: list[CycleFigures] = []
    with tempfile.TemporaryDirectory(prefix="mf_bench_cycles_") as tmp:
        for name in args.models:
            rows += measure(name, data / "models" / MODELS[name], Path(tmp))
            print(f"{name}: " + ", ".join(f"{r.core} {r.instructions:,} instr. "
                                          f"{r.cycles:,.0f} cycles" for r in rows[-5:]))
    text = doc_text(rows)
    print(text)
    if args.write_docs:
        write_section(DOC, HEADING, text)


if __name__ == "__main__":
    main()
