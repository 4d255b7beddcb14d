"""Cycles from the instruction mix: the QEMU plugin counts each executed instruction in one class
(`MIX_CLASSES`, the order of targets/qemu_plugin/mf_insn_class.h), and each core's table gives
the cycles of one instruction of that class, from the core's technical reference manual where it
publishes one (`CycleTable.source` says which, and what is assumed).

QEMU does not model pipelines, caches or wait states, so this is an estimate. It counts what the
manuals state per instruction: loads and stores that pipeline with their neighbour, registers
moved by load/store-multiple, taken vs not-taken conditional branches (decided at run time by
the plugin), pipeline refills, multiply and divide latencies. It assumes zero-wait-state memory
(the SRAM QEMU runs from) and cannot see result-use stalls or flash wait states.
"""

from __future__ import annotations

from dataclasses import dataclass

from microforge.errors import ConfigError

# the instruction classes, then the extra counts; the order of mf_insn_class.h
MIX_CLASSES = ("alu", "load", "store", "mem_pipelined", "multi", "mul", "div", "call", "jump",
               "branch_taken", "branch_not_taken", "fp", "fp_mac", "fp_div")
MIX_EXTRAS = ("multi_registers", "pc_loads")


@dataclass(frozen=True)
class InstructionMix:
    """Executed instructions per class (they add up to `total`), plus the extra counts."""

    counts: dict[str, int]

    @classmethod
    def from_values(cls, values: list[int]) -> InstructionMix:
        names = MIX_CLASSES + MIX_EXTRAS
        if len(values) != len(names):
            raise ValueError(f"instruction mix has {len(values)} counts, expected {len(names)}")
        return cls(dict(zip(names, values, strict=True)))

    @property
    def total(self) -> int:
        return sum(self.counts[name] for name in MIX_CLASSES)

    def share(self, name: str) -> float:
        return self.counts[name] / self.total if self.total else 0.0


@dataclass(frozen=True)
class CycleTable:
    """Cycles per instruction of each class (and per extra count) on one core."""

    core: str
    cycles: dict[str, float]
    source: str

    def estimate(self, mix: InstructionMix) -> float:
        return sum(self.cycles[name] * mix.counts[name] for name in MIX_CLASSES + MIX_EXTRAS)


def _table(core: str, source: str, *, alu: float = 1, load: float = 2, store: float = 2,
           mem_pipelined: float = 1, multi: float = 1, multi_registers: float = 1,
           pc_loads: float = 3, mul: float = 1, div: float = 7, call: float = 3,
           jump: float = 3, branch_taken: float = 3, branch_not_taken: float = 1,
           fp: float = 1, fp_mac: float = 3, fp_div: float = 14) -> CycleTable:
    cycles = {"alu": alu, "load": load, "store": store, "mem_pipelined": mem_pipelined,
              "multi": multi, "multi_registers": multi_registers, "pc_loads": pc_loads,
              "mul": mul, "div": div, "call": call, "jump": jump, "branch_taken": branch_taken,
              "branch_not_taken": branch_not_taken, "fp": fp, "fp_mac": fp_mac, "fp_div": fp_div}
    return CycleTable(core, cycles, source)


_M4_SOURCE = ("Cortex-M4 TRM (Arm DDI 0439B) table 3-1: data processing, MUL/MLA/SMLAD/SMULL/"
              "SMLAL 1 cycle; LDR/STR 2, 1 when pipelined with the previous single load/store;"
              " LDM/STM/PUSH/POP 1+N; POP/LDR into PC +3 (4+N); SDIV/UDIV 2-12 (7 taken);"
              " B/BL/BX and taken conditional branches 1+P with the refill P 1-3 (2 taken),"
              " not taken 1; VADD/VMUL.F32 1, VMLA/VFMA 3, VDIV/VSQRT 14")

CYCLE_TABLES: dict[str, CycleTable] = {
    "cortex-m4": _table("cortex-m4", _M4_SOURCE),
    "cortex-m33": _table("cortex-m33", "assumption: the Cortex-M33 TRM publishes no "
                         "per-instruction timing; it is a 3-stage Armv8-M Mainline pipeline "
                         "like the M4's, so the M4 table is used. " + _M4_SOURCE),
    "cortex-m3": _table("cortex-m3", "Cortex-M3 TRM (Arm DDI 0337) table 18-1: as the M4 (1 "
                        "cycle ALU, LDR/STR 2 or 1 pipelined, LDM/STM 1+N, branches 1+P) but "
                        "multiplies MUL 1, MLA 2, SMULL/UMLAL 3-5: 2 taken for the class",
                        mul=2),
    "cortex-m0plus": _table("cortex-m0plus", "Cortex-M0+ TRM (Arm DDI 0484C) section 3.3: ALU "
                            "1, LDR/STR 2 (no pipelining), LDM/STM/PUSH/POP 1+N, POP {pc} 3+N,"
                            " B taken 2, not taken 1, BL 3, BX/BLX 2, MULS 1 (the RP2040's "
                            "single-cycle multiplier); no divide or FPU instructions", mem_pipelined=2, pc_loads=2, call=3, jump=2,
                            branch_taken=2),
    "cortex-m7": _table("cortex-m7", "assumption: the Cortex-M7 TRM publishes no "
                        "per-instruction table; dual issue (6-stage superscalar) taken as 0.5 "
                        "cycle per ALU instruction, 1 per load/store (TCM), 0.5 per register "
                        "moved, 1 per MAC (issued every cycle), predicted branches 1, "
                        "VFMA 1 (pipelined); Arm quotes 2.14 vs 1.25 DMIPS/MHz for the M4",
                        alu=0.5, load=1, store=1, mem_pipelined=1, multi=1,
                        multi_registers=0.5, pc_loads=1, mul=1, call=1, jump=1,
                        branch_taken=1, branch_not_taken=0.5, fp_mac=1),
    "rv32imc": _table("rv32imc", "assumption: Espressif publishes no per-instruction timing for"
                      " the ESP32-C3; in-order single-issue RV32IMC timings of the SiFive E31 "
                      "class: ALU 1, loads 2 (load-use), stores 1, MUL 2, DIV 33 (iterative),"
                      " JAL/JALR 2, taken branches 3 (refill), not taken 1; no FPU",
                      store=1, mem_pipelined=2, mul=2, div=33, call=2, jump=2),
}


def cycle_table(core: str) -> CycleTable:
    """The cycle table of a core; cores without one are an error naming the known ones."""
    if core not in CYCLE_TABLES:
        raise ConfigError(f"no cycle table for core '{core}'; known: "
                          f"{', '.join(sorted(CYCLE_TABLES))}")
    return CYCLE_TABLES[core]
