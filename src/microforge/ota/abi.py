"""GRAPH_ABI_HASH: SHA-256 over what firmware compiled for one architecture depends on, and
nothing a retraining changes: the ops in order with their options and tensor shapes and
dtypes, the layout of the constants (shape, dtype, bytes, number of quantization channels),
and the arena size of the memory plan. Weight values and scales are left out, so two
trainings of the same architecture share the hash and a different architecture does not."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from microforge.codegen.compiler import compile_model
from microforge.ir.graph import Graph
from microforge.ir.tflite_reader import read_tflite

ABI_VERSION = 1


def graph_abi_description(graph: Graph, arena_size: int) -> dict:
    def tensor(index: int) -> dict:
        if index < 0:
            return {"absent": True}
        t = graph.tensors[index]
        row: dict[str, object] = {"shape": list(t.shape), "dtype": t.dtype}
        if t.is_constant:
            row["const_bytes"] = t.nbytes
        if t.quant is not None:
            row["quant_channels"] = len(t.quant.scale)
        return row

    ops = [{"op": op.op_type, "options": {k: str(v) for k, v in sorted(op.options.items())},
            "inputs": [tensor(i) for i in op.inputs],
            "outputs": [tensor(i) for i in op.outputs]} for op in graph.operators]
    return {"abi": ABI_VERSION, "ops": ops, "arena": arena_size,
            "inputs": [tensor(i) for i in graph.inputs],
            "outputs": [tensor(i) for i in graph.outputs]}


def graph_abi_hash(model: bytes | Path) -> bytes:
    """The 32-byte GRAPH_ABI_HASH of a .tflite model (its bytes, or its path: errors then
    name the file)."""
    graph = read_tflite(model)
    info = compile_model(model)  # the arena of the memory plan microforge compiles
    shutil.rmtree(info.out_dir.parent, ignore_errors=True)
    text = json.dumps(graph_abi_description(graph, info.arena_size), sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode()).digest()
