"""passes.fuse_residual_block and passes.fuse_conv_add on ResNet-8 (float and int8)."""

from __future__ import annotations

from pathlib import Path

from microforge.ir.tflite_reader import read_tflite
from microforge.ir.verifier import verify_graph
from microforge.ops.conv_add import OP_TYPE as CONV_ADD
from microforge.ops.conv_add import parts as conv_add_parts
from microforge.ops.residual_block import OP_TYPE as BLOCK
from microforge.ops.residual_block import parts as block_parts
from microforge.passes.fuse_conv_add import fuse_conv_add
from microforge.passes.fuse_residual_block import fuse_residual_block

IC = "models/mlperf_ic/"


def test_resnet8_float_blocks_fuse(shared_data: Path) -> None:
    graph = read_tflite(shared_data / IC / "pretrainedResnet.tflite")
    before = [op.op_type for op in graph.operators]
    blocks = fuse_residual_block(graph)
    assert [op.op_type for op in graph.operators] == before  # the input graph is kept
    types = [op.op_type for op in blocks.operators]
    assert types[:2] == ["CONV_2D", BLOCK]  # the first block keeps its shape: streamed
    conv1, conv2, add = block_parts(blocks.operators[1])
    assert (conv1.op_type, conv2.op_type, add.op_type) == ("CONV_2D", "CONV_2D", "ADD")
    assert blocks.operators[1].inputs[0] == conv1.inputs[0]
    assert blocks.operators[1].outputs == add.outputs
    fused = fuse_conv_add(blocks)
    types = [op.op_type for op in fused.operators]
    assert types.count(CONV_ADD) == 2 and "ADD" not in types  # the two downsampling shortcuts
    conv, add = conv_add_parts(next(op for op in fused.operators if op.op_type == CONV_ADD))
    assert graph.tensors[conv.inputs[1]].shape[1:3] == (1, 1)  # the 1x1 shortcut conv
    assert [op.index for op in fused.operators] == list(range(len(fused.operators)))
    verify_graph(fused)


def test_int8_resnet8_is_not_fused(shared_data: Path) -> None:
    graph = read_tflite(shared_data / IC / "pretrainedResnet_quant.tflite")
    assert fuse_conv_add(fuse_residual_block(graph)) is graph
