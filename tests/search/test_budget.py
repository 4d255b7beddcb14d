"""The board budget as Optuna constraints and one-line reasons."""

from __future__ import annotations

import pytest

from microforge.search.budget import Budget
from microforge.search.cost import CandidateCost
from microforge.targets.boards import load_board


def test_budget_constraints_are_the_relative_excess():
    board = load_board("stm32f103c8_bluepill")

    cost = CandidateCost(ram_bytes=30 * 1024, flash_bytes=32 * 1024, arena_bytes=0, macs=0,
                         instructions=720_000, latency_ms=10.0, input_shape=(1,),
                         method="")
    budget = Budget(board, latency_ms=5.0)
    c = budget.constraints(cost)
    assert c["ram"] == pytest.approx(0.5) and c["flash"] == pytest.approx(-0.5)
    assert c["latency"] == pytest.approx(1.0)
    assert budget.reasons(cost) == ["RAM 30.0 KB > 20 KB of stm32f103c8_bluepill",
                                    "latency 10.00 ms > 5 ms at 72 MHz"]

    cost = CandidateCost(ram_bytes=30 * 1024, flash_bytes=32 * 1024, arena_bytes=0, macs=0,
                         instructions=720_000, latency_ms=10.0, input_shape=(1,),
                         method="")
    budget = Budget(board, latency_ms=5.0)
    c = budget.constraints(cost)
    assert c["ram"] == pytest.approx(0.5) and c["flash"] == pytest.approx(-0.5)
    assert c["latency"] == pytest.approx(1.0)
    assert budget.reasons(cost) == ["RAM 30.0 KB > 20 KB of stm32f103c8_bluepill",
                                    "latency 10.00 ms > 5 ms at 72 MHz"]
