"""STRIDED_SLICE vs TFLM on generated single-op models; axis resolution vs Python slicing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from microforge.ops.strided_slice import loop_count, resolve_axis
from tests.ops.layout_harness import check_both_layers
from tests.ops.tflite_build import build_tflite
from tests.ops.tflm_compare import op_types


def _random_slice(rng: np.random.Generator, size: int) -> slice | int:
    kind = rng.random()
    if kind < 0.15:
        return int(rng.integers(-size, size))  # shrink axis
    step = int(rng.choice([1, 1, 2, 3, -1, -2]))
    start = None if rng.random() < 0.3 else int(rng.integers(-size - 2, size + 2))
    stop = None if rng.random() < 0.3 else int(rng.integers(-size - 2, size + 2))
    return slice(start, stop, step)


def _slicer(index: tuple[slice | int, ...]):
    def fn(x):
        return x[index]

    return fn


def slice_model(seed: int, mode: str) -> bytes:
    """A random non-empty slice that the converter accepts (it rejects a few valid ones)."""
    rng = np.random.default_rng(4000 + seed)
    rank = int(rng.integers(1, 5))
    shape = [int(rng.integers(1, 9)) for _ in range(rank)]
    for _ in range(20):
        index = tuple(_random_slice(rng, n) for n in shape)
        if np.zeros(shape)[index].size == 0:
            continue
        try:
            return build_tflite(_slicer(index), [shape], mode, seed=seed)
        except Exception:  # noqa: BLE001 - converter error on this draw: draw again
            continue
    raise AssertionError("no convertible slice drawn")


@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(5))
def test_strided_slice_matches_tflm(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = slice_model(seed, mode)
    types = op_types(model)
    if "STRIDED_SLICE" not in types:
        pytest.skip(f"the converter emitted {types} for this slice")
    check_both_layers(model, tmp_path, seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int8", "float"])
@pytest.mark.parametrize("seed", range(5, 60))
def test_strided_slice_matches_tflm_many(tf, tflm, tmp_path: Path, seed: int, mode: str) -> None:
    model = slice_model(seed, mode)
    types = op_types(model)
    if "STRIDED_SLICE" not in types:
        pytest.skip(f"the converter emitted {types} for this slice")
    check_both_layers(model, tmp_path, seed=seed)


def test_negative_stride_with_masks(tf, tflm, tmp_path: Path) -> None:
    def fn(x):
        return x[:, ::-2, 3:0:-1, 1]

    model = build_tflite(fn, [(2, 7, 5, 3)], "int8")
    assert op_types(model) == ["STRIDED_SLICE"]
    check_both_layers(model, tmp_path)


def test_axis_resolution_matches_python_slicing() -> None:
    rng = np.random.default_rng(7)
    for _ in range(3000):
        size = int(rng.integers(0, 9))
        stride = int(rng.choice([1, 2, 3, -1, -2, -3]))
        begin, end = (int(v) for v in rng.integers(-12, 12, size=2))
        begin_masked, end_masked = bool(rng.random() < 0.3), bool(rng.random() < 0.3)
        start, stop = resolve_axis(size, begin, end, stride, begin_masked, end_masked, False)
        expected = range(size)[slice(None if begin_masked else begin,
                                     None if end_masked else end, stride)]
        got = range(start, stop, stride) if loop_count(start, stop, stride) else range(0)
        assert list(got) == list(expected), (size, begin, end, stride, begin_masked, end_masked)


@pytest.mark.parametrize("dtype", ["int32", "int16", "bool"])
def test_strided_slice_of_other_dtypes_matches_tflm(tmp_path: Path, dtype: str) -> None:
    """The audio preprocessor's int32 slice (and int16, bool): the same byte copy."""
    from tests.fuzz.schema import schema
    from tests.ops.signal_build import Spec, assert_stream_matches_tflm, const, signal_model

    rng = np.random.default_rng(3)
    model = signal_model("STRIDED_SLICE", [Spec((4, 257), dtype), const([1, 5], "int32"),
                                           const([4, 241], "int32"), const([2, 3], "int32")],
                         [Spec((2, 79), dtype)], builtin=45,
                         builtin_options=(32, schema().StridedSliceOptionsT()))
    values = rng.integers(-2**31, 2**31, (4, 257), dtype=np.int64)
    x = values.astype(dtype) if dtype != "bool" else values > 0
    assert assert_stream_matches_tflm(model, tmp_path / "s", [[x]]) == 1
