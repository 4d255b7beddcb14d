"""CAST vs TFLM for every (from, to) pair TFLM implements (uint32 included), on hand-built models; one converter
model (float32 -> int32 after a MUL). Float inputs stay inside the target's range (outside it
the cast is undefined behaviour in TFLM); integers use their full range (narrowing wraps)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.ir.tflite_reader import read_tflite
from microforge.ops.base import get_op
from tests.ops.layout_harness import RawOp, RawTensor, build_library, check_samples, raw_tflite
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import op_types

FROM = ["float32", "int8", "int16", "int32", "uint32", "bool"]
TO = ["float32", "int8", "int16", "int32", "uint32"]
_FLOAT_SPAN = {"int8": 128.0, "int16": 32768.0, "int32": 2.0e9, "float32": 1.0e30,
               "uint32": 4.0e9}
SHAPE = (3, 17)


def cast_model(src: str, dst: str) -> bytes:
    quant = {"int8": (0.5, 1), "int16": (0.25, 0)}
    tensors = [RawTensor(SHAPE, src, quant.get(src)), RawTensor(SHAPE, dst, quant.get(dst))]
    return raw_tflite(tensors, [RawOp("CAST", (0,), (1,))], [0], [1])


def samples(src: str, dst: str, seed: int) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(4):
        if src == "float32":
            span = _FLOAT_SPAN[dst]
            x = rng.uniform(0 if dst == "uint32" else -span, span, SHAPE).astype(np.float32)
            x.flat[:4] = [0.0, -0.0, 0.999, 0.5 if dst == "uint32" else -0.999]
        elif src == "bool":
            x = rng.random(SHAPE) < 0.5
        else:
            info = np.iinfo(src)
            x = rng.integers(info.min, info.max, SHAPE, dtype=src, endpoint=True)
            x.flat[:2] = [info.min, info.max]
        out.append([x])
    return out


FAST = [("float32", "int8"), ("int32", "float32"), ("int16", "int8"), ("bool", "int32"),
        ("int8", "int16"), ("float32", "int32"), ("uint32", "int32"), ("int32", "uint32"),
        ("int16", "uint32"), ("uint32", "float32")]


@pytest.mark.parametrize(("src", "dst"), FAST)
def test_cast_matches_tflm(tflm, tmp_path: Path, src: str, dst: str) -> None:
    check_samples(cast_model(src, dst), tmp_path, samples(src, dst, 1))


@pytest.mark.slow
@pytest.mark.parametrize("dst", TO)
@pytest.mark.parametrize("src", FROM)
def test_cast_every_pair_matches_tflm(tflm, tmp_path: Path, src: str, dst: str) -> None:
    check_samples(cast_model(src, dst), tmp_path, samples(src, dst, 2))


def test_cast_after_the_converter(tf, tflm, tmp_path: Path) -> None:
    def fn(x):
        return tf.cast(x * 100.0, tf.int32)

    model = build_tflite(fn, [(2, 9)], "float")
    assert "CAST" in op_types(model)
    rng = np.random.default_rng(3)
    check_samples(model, tmp_path, [[rng.uniform(-5, 5, (2, 9)).astype(np.float32)]
                                    for _ in range(3)])


def test_out_of_range_floats_saturate(tmp_path: Path) -> None:
    lib = build_library(cast_model("float32", "int8"), tmp_path)
    x = np.zeros(SHAPE, np.float32)
    x.flat[:6] = [300.0, -300.0, np.nan, np.inf, -np.inf, -128.9]
    assert lib.run([x])[0].flat[:6].tolist() == [127, -128, 0, 127, -128, -128]


def test_int64_output_is_not_implemented() -> None:
    tensors = [RawTensor(SHAPE, "float32"), RawTensor(SHAPE, "int64")]
    graph = read_tflite(raw_tflite(tensors, [RawOp("CAST", (0,), (1,))], [0], [1]))
    opdef = get_op("CAST")
    assert opdef is not None
    assert "int64 output" in (opdef.unsupported_reason(graph.operators[0], graph) or "")


def test_cast_of_non_finite_and_huge_floats_is_clean_under_sanitizers(tmp_path: Path) -> None:
    import microforge

    x = np.zeros(SHAPE, np.float32)
    x.flat[:5] = [np.nan, np.inf, -np.inf, 3e9, -3e9]
    got = microforge.compile(cast_model("float32", "int32"), tmp_path / "m").sanitized().run([x])
    assert got[0].flat[:5].tolist() == [0, 2**31 - 1, -2**31, 2**31 - 1, -2**31]
