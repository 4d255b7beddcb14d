"""Instructions per inference from the compiler's MAC counts: a per-op-class cost model.

instructions = fixed + per_op x (operators) + sum over op classes of (factor[class] x MACs
+ out_factor[class] x output elements), with the MACs of each operator from its op module's
cost rule (codegen/macs.py, CompileInfo.ops) and the output elements (each one requantized,
stored) from the model's graph. The factors are fitted (non-negative least squares) on models measured on the emulated
core by `python -m bench.search_cost`, which prints the table below and the estimate's error
on models it was not fitted on (docs/search.md). A core without its own table uses the
Cortex-M4's, scaled by nothing: the estimate then says so in `method`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from microforge.codegen.compiler import OpSummary
    from microforge.ir.graph import Graph

# op types -> the class whose factor prices their MACs (unlisted types: "other")
OP_CLASSES = {
    "CONV_2D": "conv", "CONV_ADD": "conv", "DEPTHWISE_CONV_2D": "depthwise",
    "DEPTHWISE_FC": "depthwise", "DEPTHWISE_MAX_POOL": "depthwise",
    "FULLY_CONNECTED": "fully_connected", "MAX_POOL_2D": "pool", "AVERAGE_POOL_2D": "pool",
}
# a conv or depthwise op whose call names a core variant (OpSummary.variant) is priced apart
VARIANT_CLASSES = ("conv", "depthwise")
CLASSES = ("conv", "depthwise", "fully_connected", "pool", "other",
           *(f"{c}_variant" for c in VARIANT_CLASSES))
OUTPUT_CLASSES = ("conv", "depthwise", "fully_connected", "pool")
FEATURES = ("fixed", "per_op", *CLASSES, *(f"{c}_out" for c in OUTPUT_CLASSES))


@dataclass(frozen=True)
class CostTable:
    core: str
    factors: dict[str, float]  # by FEATURES
    source: str


def op_features(ops: Sequence[OpSummary], graph: Graph) -> np.ndarray:
    """(fixed, operators, MACs per class, output elements per class) of a compiled model's
    operators (`ops`) and of its graph as read (`graph`)."""
    row = np.zeros(len(FEATURES))
    row[0] = 1.0
    row[1] = sum(1 for op in ops if op.op_type != "RESHAPE")
    for op in ops:
        cls = OP_CLASSES.get(op.op_type, "other")
        if getattr(op, "variant", None) and cls in VARIANT_CLASSES:
            cls = f"{cls}_variant"
        row[FEATURES.index(cls)] += float(op.cost.macs)
    for gop in graph.operators:
        out_cls = OP_CLASSES.get(gop.op_type, "other")
        if out_cls in OUTPUT_CLASSES and gop.outputs:
            row[FEATURES.index(f"{out_cls}_out")] += float(
                np.prod(graph.tensors[gop.outputs[0]].shape))
    return row


def fit_table(core: str, rows: Sequence[np.ndarray], instructions: Sequence[int],
              source: str) -> CostTable:
    """Non-negative least squares on measured models, relative error weighted (each model
    counts the same whatever its size)."""
    from scipy.optimize import nnls

    a = np.asarray(rows, dtype=float)
    b = np.asarray(instructions, dtype=float)
    weights = 1.0 / b
    solution, _ = nnls(a * weights[:, None], b * weights)
    return CostTable(core, {name: float(v) for name, v in zip(FEATURES, solution, strict=True)},
                     source)


def predict(table: CostTable, row: np.ndarray) -> int:
    return int(round(float(np.dot(row, [table.factors.get(f, 0.0) for f in FEATURES]))))


# Fitted by `python -m bench.search_cost` on its 24 networks (the held-out errors:
# docs/search.md): instructions per MAC / per output element of each class, per operator.
_BENCH = "bench.search_cost, 24 untrained zoo networks measured on QEMU"
TABLES: dict[str, CostTable] = {
    "cortex-m4": CostTable("cortex-m4", {
        "fixed": 0.0, "per_op": 1152.7, "conv": 2.8921, "depthwise": 0.0,
        "fully_connected": 1.0862, "pool": 112.11, "other": 0.0, "conv_variant": 0.0,
        "depthwise_variant": 14.414, "conv_out": 0.0, "depthwise_out": 0.0,
        "fully_connected_out": 106.29, "pool_out": 46.396},
        _BENCH + " mps2-an386, compiled for the board (its DSP kernel variants); held-out error"
        " mean 9.5 %, max 36.1 %"),
    "cortex-m0plus": CostTable("cortex-m0plus", {
        "fixed": 0.0, "per_op": 0.0, "conv": 5.3281, "depthwise": 25.533,
        "fully_connected": 6.4280, "pool": 90.018, "other": 575.59, "conv_variant": 0.0,
        "depthwise_variant": 0.0, "conv_out": 127.39,
        "depthwise_out": 0.0, "fully_connected_out": 127.08, "pool_out": 89.760},
        _BENCH + " mps2-an385 (Armv6-M code); held-out error mean 3.2 %, max 9.8 %"),
}


def table_for(core: str) -> CostTable:
    """The core's table; other cores (M3, M7, M33, RISC-V) use the Cortex-M4's."""
    return TABLES.get(core) or TABLES["cortex-m4"]


def estimate_instructions(core: str, ops: Sequence[OpSummary], graph: Graph) -> int:
    """Estimated instructions per inference on `core`."""
    return predict(table_for(core), op_features(ops, graph))
