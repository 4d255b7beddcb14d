"""Hand-built SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND models (the converter folds these into
dilated convolutions, so a file with them comes from older converters or other tools)."""

from __future__ import annotations

import numpy as np

from tests.ops.layout_harness import RawOp, RawTensor, raw_tflite


def space_batch_model(op_type: str, dtype: str, in_shape: tuple[int, ...],
                      out_shape: tuple[int, ...], block: list[int], amounts: list[int]) -> bytes:
    quant = (0.05, 7) if dtype == "int8" else None
    spatial = len(block)
    tensors = [RawTensor(in_shape, dtype, quant),
               RawTensor((spatial,), "int32", data=np.asarray(block, np.int32)),
               RawTensor((spatial, 2), "int32", data=np.asarray(amounts, np.int32).reshape(
                   spatial, 2)),
               RawTensor(out_shape, dtype, quant)]
    return raw_tflite(tensors, [RawOp(op_type, (0, 1, 2), (3,))], [0], [3])


def samples(dtype: str, shape: tuple[int, ...], n: int = 2) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(sum(shape))
    if dtype == "float32":
        return [[rng.standard_normal(shape).astype(np.float32)] for _ in range(n)]
    return [[rng.integers(-128, 128, size=shape).astype(np.int8)] for _ in range(n)]
