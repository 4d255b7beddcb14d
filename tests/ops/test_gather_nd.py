"""GATHER_ND vs TFLM: element and slice gathers, batches of index vectors, computed and
constant indices, float32 and int8."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite

CASES = [("float32", (4, 3), (5, 2)), ("int8", (4, 3, 2), (2, 3, 1)), ("int8", (3, 4), (2,)),
         ("float32", (2, 3, 4, 2, 2), (3, 5))]


def gather_nd_model(dtype: str, params: tuple, indices: tuple, constant=None) -> bytes:
    quant = (0.1, -3) if dtype == "int8" else None
    depth = indices[-1]
    out = (*indices[:-1], *params[depth:])
    tensors = [RawTensor(params, dtype, quant), RawTensor(indices, "int32", data=constant),
               RawTensor(out, dtype, quant)]
    inputs = [0] if constant is not None else [0, 1]
    return raw_tflite(tensors, [RawOp("GATHER_ND", (0, 1), (2,))], inputs, [2])


def _indices(rng, params: tuple, indices: tuple) -> np.ndarray:
    bounds = np.asarray(params[: indices[-1]])
    return (rng.integers(0, 1 << 30, size=indices) % bounds).astype(np.int32)


def _params(rng, dtype: str, shape: tuple) -> np.ndarray:
    if dtype == "float32":
        return rng.standard_normal(shape).astype(np.float32)
    return rng.integers(-128, 128, size=shape).astype(np.int8)


@pytest.mark.parametrize(("dtype", "params", "indices"), CASES)
def test_computed_indices_match_tflm(tflm, tmp_path, dtype, params, indices) -> None:
    rng = np.random.default_rng(len(params))
    samples = [[_params(rng, dtype, params), _indices(rng, params, indices)] for _ in range(3)]
    check_samples(gather_nd_model(dtype, params, indices), tmp_path, samples)


def test_constant_indices_match_tflm(tflm, tmp_path) -> None:
    rng = np.random.default_rng(7)
    constant = _indices(rng, (4, 3, 2), (3, 2))
    model = gather_nd_model("int8", (4, 3, 2), (3, 2), constant)
    check_samples(model, tmp_path, [[_params(rng, "int8", (4, 3, 2))]])


def test_a_constant_index_out_of_range_is_refused(tmp_path) -> None:
    import microforge
    from microforge.errors import ModelError

    model = gather_nd_model("float32", (4, 3), (1, 2), np.asarray([[1, 3]], np.int32))
    with pytest.raises(ModelError, match=r"index vector \[1, 3\] is outside params"):
        microforge.compile(model, tmp_path / "out")


def test_a_computed_index_out_of_range_gives_a_zero_slice(tmp_path) -> None:
    """TFLM fails the invoke there; the compiled model writes zeros and stays in bounds."""
    import microforge

    model = microforge.compile(gather_nd_model("float32", (4, 3), (2, 1)), tmp_path / "out")
    params = np.arange(12, dtype=np.float32).reshape(4, 3) + 1
    out = model.sanitized().run([params, np.asarray([[2], [9]], np.int32)])[0]
    assert out.tolist() == [[7.0, 8.0, 9.0], [0.0, 0.0, 0.0]]
