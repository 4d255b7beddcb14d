"""Shared check of the float32 unary math ops (ops/math_unary_common.py) against TFLM."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from microforge.ir.tflite_reader import read_tflite
from tests.ops.elementwise_cases import float_model
from tests.ops.kernel_harness import compare_with_tflm

SHAPE = [3, 67]


def check_float_op(fn: Callable, op_type: str, out_dir: Path, rng: np.random.Generator) -> int:
    """Convert fn, check the model is the single op, compare with TFLM; values compared."""
    model = float_model(fn, [SHAPE])
    assert [o.op_type for o in read_tflite(model).operators] == [op_type]
    result = compare_with_tflm([model], out_dir, rng, n_samples=4)
    assert result.models == 1
    return result.values
