"""Instructions per inference from the compiler's MAC counts: a per-op-class cost model.

instructions = fixed + per_op x (operators) + sum over op classes of factor[class] x MACs,
with the MACs of each operator from its op module's cost rule (codegen/macs.py, CompileInfo
.ops). The factors are fitted (non-negative least squares) on models measured on the emulated
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

# op types -> the class whose factor prices their MACs (unlisted types: "other")
OP_CLASSES = {
    "CONV_2D": "conv", "CONV_ADD": "conv", "DEPTHWISE_CONV_2D": "depthwise",
    "DEPTHWISE_FC": "depthwise", "DEPTHWISE_MAX_POOL": "depthwise",
    "FULLY_CONNECTED": "fully_connected", "MAX_POOL_2D": "pool", "AVERAGE_POOL_2D": "pool",
}
CLASSES = ("conv", "depthwise", "fully_connected", "pool", "other")
FEATURES = ("fixed", "per_op", *CLASSES)


@dataclass(frozen=True)
class CostTable:
    core: str
    factors: dict[str, float]  # by FEATURES
    source: str


def op_features(ops: Sequence[OpSummary]) -> np.ndarray:
    """(fixed, operators, MACs per class) of a compiled model's operators."""
    row = np.zeros(len(FEATURES))
    row[0] = 1.0
    row[1] = sum(1 for op in ops if op.op_type != "RESHAPE")
    for op in ops:
        cls = OP_CLASSES.get(op.op_type, "other")
        row[FEATURES.index(cls)] += float(op.cost.macs)
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
    return int(round(float(np.dot(row, [table.factors[f] for f in FEATURES]))))


# Fitted by `python -m bench.search_cost` (the models and the errors: docs/search.md).
TABLES: dict[str, CostTable] = {}


def table_for(core: str) -> CostTable | None:
    return TABLES.get(core) or TABLES.get("cortex-m4")


def estimate_instructions(core: str, ops: Sequence[OpSummary]) -> int | None:
    """Estimated instructions per inference on `core` (None: no table fitted)."""
    table = table_for(core)
    return None if table is None else predict(table, op_features(ops))
