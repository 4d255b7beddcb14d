"""EMBEDDING_LOOKUP vs TFLM: float32 and int8 tables (copies), an int8 table dequantized to
float32 (hybrid), computed and constant ids; hand-built models."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.layout_harness import RawOp, RawTensor, check_samples, raw_tflite


def lookup_model(table_dtype: str, out_dtype: str, table: tuple, count: int,
                 ids=None, table_data=None) -> bytes:
    quant = (0.037, 0) if table_dtype == "int8" else None
    tensors = [RawTensor((count,), "int32", data=ids),
               RawTensor(table, table_dtype, quant, data=table_data),
               RawTensor((count, *table[1:]), out_dtype,
                         quant if out_dtype == "int8" else None)]
    inputs = [i for i, t in enumerate(tensors[:2]) if t.data is None]
    return raw_tflite(tensors, [RawOp("EMBEDDING_LOOKUP", (0, 1), (2,))], inputs, [2])


def _table(rng, dtype: str, shape: tuple) -> np.ndarray:
    if dtype == "float32":
        return rng.standard_normal(shape).astype(np.float32)
    return rng.integers(-128, 128, size=shape).astype(np.int8)


@pytest.mark.parametrize(("table_dtype", "out_dtype", "table"), [
    ("float32", "float32", (7, 5)), ("int8", "int8", (6, 2, 3)), ("int8", "float32", (9, 4)),
])
def test_computed_ids_match_tflm(tflm, tmp_path, table_dtype, out_dtype, table) -> None:
    rng = np.random.default_rng(len(table))
    samples = [[rng.integers(0, table[0], size=4).astype(np.int32),
                _table(rng, table_dtype, table)] for _ in range(3)]
    check_samples(lookup_model(table_dtype, out_dtype, table, 4), tmp_path, samples)


def test_constant_ids_match_tflm(tflm, tmp_path) -> None:
    table = _table(np.random.default_rng(1), "int8", (5, 3))
    model = lookup_model("int8", "float32", (5, 3), 3, ids=np.asarray([4, 0, 4], np.int32))
    check_samples(model, tmp_path, [[table]])


def test_a_constant_id_out_of_range_is_refused(tmp_path) -> None:
    import microforge
    from microforge.errors import ModelError

    model = lookup_model("int8", "float32", (3, 4), 2, ids=np.asarray([1, 3], np.int32))
    with pytest.raises(ModelError, match="id 3 is outside the table's 3 rows"):
        microforge.compile(model, tmp_path / "out")
