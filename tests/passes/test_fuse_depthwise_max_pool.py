"""passes.fuse_depthwise_max_pool: which DEPTHWISE_CONV_2D -> MAX_POOL_2D pairs are fused."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from microforge.ir.graph import Operator
from microforge.ir.tflite_reader import read_tflite
from microforge.ir.verifier import verify_graph
from microforge.ops.depthwise_max_pool import OP_TYPE, parts
from microforge.passes.fuse_depthwise_max_pool import fuse_depthwise_max_pool

MAGIC_WAND = "models/tflm_magic_wand/magic_wand.tflite"


def test_magic_wand_first_depthwise_and_pool_fuse(shared_data: Path) -> None:
    graph = read_tflite(shared_data / MAGIC_WAND)
    before = [op.op_type for op in graph.operators]
    assert before[:2] == ["DEPTHWISE_CONV_2D", "MAX_POOL_2D"]
    fused = fuse_depthwise_max_pool(graph)
    assert [op.op_type for op in graph.operators] == before  # the input graph is kept
    assert [op.op_type for op in fused.operators] == [OP_TYPE, *before[2:]]
    assert [op.index for op in fused.operators] == list(range(len(before) - 1))
    dw, pool = parts(fused.operators[0])
    assert fused.operators[0].inputs == dw.inputs
    assert fused.operators[0].outputs == pool.outputs
    verify_graph(fused)


def test_not_fused_when_the_depthwise_output_is_read_twice(shared_data: Path) -> None:
    graph = read_tflite(shared_data / MAGIC_WAND)
    dw_out = graph.tensors[graph.operators[0].outputs[0]]
    copy = dataclasses.replace(dw_out, index=len(graph.tensors), name="relu_copy")
    relu = Operator(len(graph.operators), "RELU", (dw_out.index,), (copy.index,))
    twice = dataclasses.replace(graph, tensors=[*graph.tensors, copy],
                                operators=[*graph.operators, relu],
                                outputs=[*graph.outputs, copy.index])
    verify_graph(twice)
    assert fuse_depthwise_max_pool(twice) is twice
