"""Generated models for the comparison ops (EQUAL ... LESS_EQUAL): int8 from the converter
with random input quantization (scales below 1, as TFLM's Prepare needs), float32 from the
converter, int32 / int64 / bool hand-built; every one against TFLM, harness and compiled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from tests.ops.elementwise_cases import (
    compare_compiled_with_tflm,
    float_model,
    int8_variants,
)
from tests.ops.kernel_harness import compare_with_tflm
from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

SHAPES = [[2, 1, 7], [3, 1]]


def raw_comparison(op_type: str, dtype: str, shapes=((2, 1, 5), (3, 1)),
                   quant: tuple[tuple[float, int], tuple[float, int]] | None = None) -> bytes:
    out = tuple(np.broadcast_shapes(*shapes))
    q1, q2 = quant or (None, None)
    tensors = [RawTensor(tuple(shapes[0]), dtype, q1), RawTensor(tuple(shapes[1]), dtype, q2),
               RawTensor(out, "bool")]
    return raw_tflite(tensors, [RawOp(op_type, (0, 1), (2,))], [0, 1], [2])


def raw_samples(dtype: str, seed: int, shapes=((2, 1, 5), (3, 1))) -> list[list[np.ndarray]]:
    """Inputs drawn from a few values so that equal pairs occur, with each type's extremes."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(4):
        sample = []
        for shape in shapes:
            if dtype == "bool":
                sample.append(rng.random(shape) < 0.5)
                continue
            info = np.iinfo(dtype)
            pool = np.array([info.min, info.min + 1, -1, 0, 1, info.max - 1, info.max], dtype)
            sample.append(rng.choice(pool, size=shape))
        out.append(sample)
    return out


def raw_int8_models(op_type: str, rng: np.random.Generator, n: int) -> list[bytes]:
    """Hand-built int8 models: random scales in [1e-3, 0.9) and zero points, the first with
    both inputs quantized alike."""
    models = []
    for k in range(n):
        q1 = (float(10 ** rng.uniform(-3, np.log10(0.9))), int(rng.integers(-128, 128)))
        q2 = q1 if k == 0 else (float(10 ** rng.uniform(-3, np.log10(0.9))),
                                int(rng.integers(-128, 128)))
        models.append(raw_comparison(op_type, "int8", quant=(q1, q2)))
    return models


def check_comparison(op_type: str, fn: Callable, tf, tmp_path: Path, *, seed: int,
                     raw_dtypes: tuple[str, ...] = ("int32", "int64"),
                     converter_int8: bool = True) -> int:
    """Every dtype of the op against TFLM; returns the number of int8 models compared.
    converter_int8: the TFLite converter quantizes the op (it leaves NOT_EQUAL in float)."""
    rng = np.random.default_rng(seed)
    models = raw_int8_models(op_type, rng, 4)
    if converter_int8:
        models += int8_variants(lambda a, b: fn(tf, a, b), SHAPES, n=3, seed=seed,
                                randomize="inputs", log10_scale=(-3.0, -0.05))
    compared = compare_with_tflm(models, tmp_path / "int8", rng).models
    compare_with_tflm([float_model(lambda a, b: fn(tf, a, b), SHAPES)], tmp_path / "f32", rng)
    for dtype in raw_dtypes:
        check_samples(raw_comparison(op_type, dtype), tmp_path / dtype, raw_samples(dtype, seed))
    assert compare_compiled_with_tflm(models[:2], tmp_path / "compiled", rng) > 0
    return compared
