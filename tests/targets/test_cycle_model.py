"""Cycle estimates from an instruction mix: each class costs its table entry, the extras add
theirs, every emulated core has a table, and an unknown core is a clear error."""

from __future__ import annotations

import pytest

from microforge.errors import ConfigError
from microforge.targets.cores import core_names, make_core_spec
from microforge.targets.cycle_model import (
    MIX_CLASSES,
    MIX_EXTRAS,
    InstructionMix,
    cycle_table,
)


def _mix(**counts: int) -> InstructionMix:
    return InstructionMix.from_values([counts.get(n, 0) for n in MIX_CLASSES + MIX_EXTRAS])


def test_m4_costs_follow_its_reference_manual() -> None:
    table = cycle_table("cortex-m4")
    # 10 ALU, 4 loads (2 each), 4 pipelined (1), one POP {r4, r5, pc} (1 + 3 regs + 3 for PC),
    # 5 MACs, 3 taken (3) and 2 not-taken (1) branches
    mix = _mix(alu=10, load=4, mem_pipelined=4, multi=1, multi_registers=3, pc_loads=1, mul=5,
               branch_taken=3, branch_not_taken=2)
    assert mix.total == 29
    assert table.estimate(mix) == 10 + 8 + 4 + (1 + 3 + 3) + 5 + 9 + 2


def test_m0plus_does_not_pipeline_loads() -> None:
    mix = _mix(load=1, mem_pipelined=1)
    assert cycle_table("cortex-m0plus").estimate(mix) == 4
    assert cycle_table("cortex-m4").estimate(mix) == 3


def test_every_emulated_core_has_a_table() -> None:
    for name in core_names():
        if make_core_spec(name).machine is not None:
            table = cycle_table(name)
            assert set(table.cycles) == set(MIX_CLASSES + MIX_EXTRAS)
            assert table.source


def test_unknown_core_names_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="no cycle table for core 'z80'; known: cortex-m0plus"):
        cycle_table("z80")


def test_wrong_number_of_counts_is_refused() -> None:
    with pytest.raises(ValueError, match="instruction mix has 3 counts, expected 16"):
        InstructionMix.from_values([1, 2, 3])
