"""passes.fuse_depthwise_fc: which DEPTHWISE_CONV_2D -> FULLY_CONNECTED pairs are fused."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ir.tensor import QuantParams, Tensor
from microforge.ir.tflite_reader import read_tflite
from microforge.ir.verifier import verify_graph
from microforge.ops.depthwise_fc import OP_TYPE, parts
from microforge.passes.fuse_depthwise_fc import fuse_depthwise_fc

MICRO_SPEECH = "models/tflm_micro_speech/micro_speech_quantized.tflite"


def test_micro_speech_depthwise_and_fc_fuse(shared_data: Path) -> None:
    graph = read_tflite(shared_data / MICRO_SPEECH)
    before = [op.op_type for op in graph.operators]
    fused = fuse_depthwise_fc(graph)
    assert [op.op_type for op in graph.operators] == before  # the input graph is kept
    assert [op.op_type for op in fused.operators] == ["RESHAPE", OP_TYPE, "SOFTMAX"]
    assert [op.index for op in fused.operators] == [0, 1, 2]
    dw, fc = parts(fused.operators[1])
    assert (dw.op_type, fc.op_type) == ("DEPTHWISE_CONV_2D", "FULLY_CONNECTED")
    assert fused.operators[1].inputs[0] == dw.inputs[0]
    assert fused.operators[1].outputs == fc.outputs
    verify_graph(fused)


def _q(scale: float = 0.1) -> QuantParams:
    return QuantParams(scale=(scale,), zero_point=(0,))


def _tiny(second_reader: bool, dtype: str = "int8") -> Graph:
    """x -> DEPTHWISE_CONV_2D -> y -> FULLY_CONNECTED -> z (and y -> RELU -> r)."""
    np_dtype = np.int8 if dtype == "int8" else np.float32
    q = _q() if dtype == "int8" else None
    tensors = [
        Tensor(0, "x", (1, 3, 3, 2), dtype, q),
        Tensor(1, "w", (1, 2, 2, 2), dtype, _q() if dtype == "int8" else None,
               np.ones((1, 2, 2, 2), np_dtype)),
        Tensor(2, "y", (1, 2, 2, 2), dtype, q),
        Tensor(3, "fw", (3, 8), dtype, q, np.ones((3, 8), np_dtype)),
        Tensor(4, "z", (1, 3), dtype, q),
        Tensor(5, "r", (1, 2, 2, 2), dtype, q),
    ]
    ops = [Operator(0, "DEPTHWISE_CONV_2D", (0, 1, -1), (2,), {"padding": "VALID"}),
           Operator(1, "FULLY_CONNECTED", (2, 3, -1), (4,))]
    outputs = [4]
    if second_reader:
        ops.append(Operator(2, "RELU", (2,), (5,)))
        outputs.append(5)
    return Graph("tiny", tensors, ops, [0], outputs)


def test_not_fused_when_the_depthwise_output_has_another_reader() -> None:
    graph = _tiny(second_reader=True)
    verify_graph(graph)
    assert fuse_depthwise_fc(graph) is graph
    fused = fuse_depthwise_fc(_tiny(second_reader=False))
    assert [op.op_type for op in fused.operators] == [OP_TYPE]


def test_float_is_not_fused() -> None:
    graph = _tiny(second_reader=False, dtype="float32")
    assert fuse_depthwise_fc(graph) is graph
