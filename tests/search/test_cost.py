"""A candidate's cost before training: the compiled untrained network's plan, the emulated
core's count, and the per-op cost model against it on networks it was not fitted on."""

from __future__ import annotations

import pytest

from microforge.search.cost import network_cost, network_int8
from microforge.targets.boards import load_board

pytestmark = [pytest.mark.slow, pytest.mark.train]

# not among bench/search_cost.py's NETWORKS; the bounds are the held-out errors it measured
# (docs/search.md) with a margin: Cortex-M4 max 36.1 % (DSP variants), Cortex-M0+ max 9.8 %
CASES = [("nucleo_l4r5zi", "cnn1d", (80, 6), 0.75, 3, 0.35),
         ("nucleo_l4r5zi", "dense", (150,), 1.0, 2, 0.35),
         ("raspberry_pi_pico", "cnn1d", (80, 6), 0.75, 3, 0.12),
         ("raspberry_pi_pico", "dscnn", (40, 10), 0.5, 2, 0.12)]


@pytest.fixture(autouse=True)
def _toolchain(tf):
    from microforge.targets.toolchain import toolchain_available

    if not toolchain_available("arm"):
        pytest.skip("needs arm-none-eabi-gcc and qemu-system-arm (make toolchain)")


@pytest.mark.parametrize(("board_id", "arch", "shape", "width", "depth", "bound"), CASES)
def test_cost_model_against_the_emulated_core(board_id, arch, shape, width, depth, bound):
    from microforge.runners.host import compile_and_load

    board = load_board(board_id)
    tflite = network_int8(arch, shape, 5, width, depth)
    measured = network_cost(tflite, shape, board, "emulator")
    estimated = network_cost(tflite, shape, board, "model")
    assert measured.method.startswith("measured on QEMU")
    assert estimated.method.startswith("estimated: per-op cost model")
    error = estimated.instructions / measured.instructions - 1
    print(f"{board_id} {arch}{shape}: measured {measured.instructions:,}, estimated "
          f"{estimated.instructions:,} ({100 * error:+.1f} %)")
    assert abs(error) <= bound
    # the plan is the compiler's, whatever counts the instructions
    arena = compile_and_load(tflite).info.arena_size
    assert measured.arena_bytes == estimated.arena_bytes == arena
    assert measured.ram_bytes >= arena and measured.flash_bytes > 0
    assert measured.latency_ms > 0
