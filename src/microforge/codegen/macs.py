"""MACs per inference of a .tflite, from the cost rules of the microforge op modules."""

from __future__ import annotations


def count_macs(model_bytes: bytes) -> int | None:
    """Sum of `OpDef.cost(...).macs` over the model's operators; None when an op is unknown
    to microforge or the model cannot be read (the report then shows no MACs)."""
    from microforge.errors import MicroforgeError
    from microforge.ir.tflite_reader import read_tflite
    from microforge.ops.base import get_op

    try:
        graph = read_tflite(bytes(model_bytes))
        total = 0
        for op in graph.operators:
            op_def = get_op(op.op_type)
            if op_def is None or op_def.unsupported_reason(op, graph) is not None:
                return None
            total += int(op_def.cost(op, graph, op_def.prepare(op, graph)).macs)
    except (MicroforgeError, ValueError, KeyError, NotImplementedError):
        return None
    return total
