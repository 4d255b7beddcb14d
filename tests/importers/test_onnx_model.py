"""importers.onnx_model: what read_onnx accepts, and one line for what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from microforge.errors import ModelError
from microforge.importers.onnx_model import read_onnx
from tests.importers.onnx_fixtures import mlp


@pytest.fixture()
def mlp_path(onnx_stack, tmp_path: Path) -> Path:
    import onnx

    onnx.save(mlp()[0], str(tmp_path / "mlp.onnx"))
    return tmp_path / "mlp.onnx"


def test_reads_a_fixed_shape_model(mlp_path: Path) -> None:
    model = read_onnx(mlp_path)
    assert model.input_shapes == ((1, 16),) and model.ops == ["Gemm", "Relu"]


def _with_input_dims(path: Path, dims: list) -> Path:
    import onnx

    proto = onnx.load(str(path))
    shape = proto.graph.input[0].type.tensor_type.shape
    for d, value in zip(shape.dim, dims, strict=True):
        if isinstance(value, str):
            d.dim_param = value
        else:
            d.dim_value = value
    out = path.with_name("changed.onnx")
    onnx.save(proto, str(out))
    return out


def test_dynamic_batch_needs_a_shape(mlp_path: Path) -> None:
    dynamic = _with_input_dims(mlp_path, ["N", 16])
    with pytest.raises(ModelError, match="dynamic shape"):
        read_onnx(dynamic)
    assert read_onnx(dynamic, (1, 16)).input_shapes == ((1, 16),)
    with pytest.raises(ModelError, match="does not fit"):
        read_onnx(dynamic, (1, 15))


def test_batch_other_than_one(mlp_path: Path) -> None:
    with pytest.raises(ModelError, match="export with batch 1"):
        read_onnx(_with_input_dims(mlp_path, [4, 16]))


def test_not_onnx_and_missing(onnx_stack, tmp_path: Path) -> None:
    (tmp_path / "x.onnx").write_bytes(b"\x00garbage")
    with pytest.raises(ModelError, match="not a valid ONNX model"):
        read_onnx(tmp_path / "x.onnx")
    with pytest.raises(ModelError, match="no such file"):
        read_onnx(tmp_path / "none.onnx")


def test_truncated_and_non_finite_weights(mlp_path: Path, tmp_path: Path) -> None:
    import numpy as np
    import onnx
    from onnx import numpy_helper

    raw = mlp_path.read_bytes()
    (tmp_path / "cut.onnx").write_bytes(raw[:len(raw) // 2])
    with pytest.raises(ModelError, match=r"cut\.onnx: not a valid ONNX model"):
        read_onnx(tmp_path / "cut.onnx")
    model = onnx.load(str(mlp_path))
    weight = model.graph.initializer[0]
    values = numpy_helper.to_array(weight).copy()
    values.flat[0] = np.nan
    weight.CopyFrom(numpy_helper.from_array(values, weight.name))
    onnx.save(model, str(tmp_path / "nan.onnx"))
    with pytest.raises(ModelError, match=rf"nan\.onnx: initializer '{weight.name}' has 1 NaN"):
        read_onnx(tmp_path / "nan.onnx")
