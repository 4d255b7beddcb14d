"""The planner on the shared third-party models, against TFLM's measured activation arena."""

from __future__ import annotations

import pytest

from microforge.ir.tflite_reader import read_tflite
from microforge.memory import Placement, check_placement, plan_graph_memory
from microforge.ops.base import MemoryHints, get_op
from tests.memory.graphs import simulate

MODELS = [
    "mlperf_kws/kws_ref_model.tflite",
    "mlperf_ic/pretrainedResnet_quant.tflite",
    "mlperf_ic/pretrainedResnet.tflite",
    "mlperf_ad/ad01_int8.tflite",
    "mlperf_ad/ad01_fp32.tflite",
    "tflm_hello_world/hello_world_int8.tflite",
    "tflm_hello_world/hello_world_float.tflite",
    "tflm_micro_speech/micro_speech_quantized.tflite",
    "tflm_magic_wand/magic_wand.tflite",
]


def op_hints(graph) -> dict[int, MemoryHints]:
    """The hints the op modules give (every op of these models is implemented)."""
    hints = {}
    for op in graph.operators:
        opdef = get_op(op.op_type)
        assert opdef is not None, op.op_type
        hints[op.index] = opdef.memory(op, graph, opdef.prepare(op, graph))
    return hints


@pytest.mark.shared
@pytest.mark.parametrize("model", MODELS)
def test_planned_arena_is_within_tflm_head(model, shared_data, tflm):
    from microforge.runners.tflm import tflm_arena_size

    path = shared_data / "models" / model
    graph = read_tflite(path)
    tflm_size = tflm_arena_size(path.read_bytes())
    plain = plan_graph_memory(graph, {})
    hints = op_hints(graph)
    planned = plan_graph_memory(graph, hints)
    io_bytes = sum(graph.tensors[t].nbytes for t in {*graph.inputs, *graph.outputs})
    with_io = plan_graph_memory(graph, hints, inputs_in_arena=True, outputs_in_arena=True)
    print(f"\n{model}: TFLM head {tflm_size.head} total {tflm_size.total} | microforge arena "
          f"{plain.arena_size} without hints, {planned.arena_size} with op hints "
          f"(live peak {planned.live_peak}) + I/O {io_bytes}; I/O in the arena: "
          f"{with_io.arena_size}")
    assert plain.arena_size <= tflm_size.head
    assert with_io.arena_size <= planned.arena_size + io_bytes + 2 * with_io.alignment
    for plan, plan_hints in ((plain, {}), (planned, hints), (with_io, hints)):
        placement = Placement(plan.buffer_offsets, plan.arena_size)
        assert check_placement(plan.buffers, placement, plan.alignment).ok
        assert plan.arena_size >= plan.live_peak
        simulate(graph, plan_hints, plan)


@pytest.mark.shared
def test_kws_meets_the_ram_goal_with_inplace_hints(shared_data):
    graph = read_tflite(shared_data / "models/mlperf_kws/kws_ref_model.tflite")
    plan = plan_graph_memory(graph, op_hints(graph))
    io_bytes = sum(graph.tensors[t].nbytes for t in {*graph.inputs, *graph.outputs})
    assert plan.inplace  # depthwise / pointwise convolutions overwrite their inputs
    assert plan.arena_size + io_bytes <= 12_000  # DESIGN.md goal, TFLM needs 24,272 B
