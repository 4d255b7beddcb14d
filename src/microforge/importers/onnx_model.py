"""An .onnx file, read and checked: one fixed-shape float input (or a given shape), outputs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microforge.errors import ModelError
from microforge.importers.deps import require

FLOAT = 1  # onnx.TensorProto.FLOAT


@dataclass(frozen=True)
class OnnxModel:
    path: Path
    proto: Any  # onnx.ModelProto, fixed input shapes
    input_names: tuple[str, ...]
    input_shapes: tuple[tuple[int, ...], ...]
    output_names: tuple[str, ...]
    reference: Any = None  # what the agreement gate runs: a QDQ model as given (else proto)

    @property
    def ops(self) -> list[str]:
        return sorted({node.op_type for node in self.proto.graph.node})


def _check_finite(path: Path, proto) -> None:
    """A float weight that is NaN or infinite (a corrupted file, a diverged training) is named
    here, before the converter turns it into a TFLite constant without a file name."""
    import numpy as np
    from onnx import numpy_helper

    for tensor in proto.graph.initializer:
        values = numpy_helper.to_array(tensor)
        if values.dtype.kind == "f" and not np.isfinite(values).all():
            bad = int((~np.isfinite(values)).sum())
            raise ModelError(f"{path}: initializer {tensor.name!r} has {bad} NaN or infinite "
                             "values; re-export the model from finite weights")


def read_onnx(path: str | os.PathLike[str],
              input_shape: tuple[int, ...] | None = None) -> OnnxModel:
    """Read `path` as ONNX. `input_shape` fixes the shape of a single input with dynamic
    dimensions (the batch must be 1). ModelError, naming the file, for anything else."""
    onnx = require("onnx")
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: no such file")
    raw = path.read_bytes()
    try:
        proto = onnx.load_from_string(raw)
        onnx.checker.check_model(proto)
    except Exception as exc:  # DecodeError, ValidationError: both mean "not a usable ONNX"
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        raise ModelError(f"{path}: not a valid ONNX model ({first}); pass a .onnx written by "
                         f"torch.onnx.export or another ONNX exporter") from exc
    from microforge.importers.qdq import is_qdq, strip_qdq

    reference = None
    if is_qdq(proto):  # quantized again from the calibration samples
        reference, proto = proto, strip_qdq(proto)
    if not proto.graph.node:
        raise ModelError(f"{path}: not an ONNX model (no graph nodes); pass a .onnx written by "
                         f"torch.onnx.export")
    _check_finite(path, proto)
    initializers = {t.name for t in proto.graph.initializer}
    inputs = [i for i in proto.graph.input if i.name not in initializers]
    if len(inputs) != 1:
        raise ModelError(f"{path}: {len(inputs)} inputs; the importer takes models with one "
                         f"input")
    (value,) = inputs
    tensor_type = value.type.tensor_type
    if tensor_type.elem_type != FLOAT:
        raise ModelError(f"{path}: input {value.name!r} is not float32; export the float model")
    dims = [d.dim_value if d.HasField("dim_value") else (d.dim_param or "?")
            for d in tensor_type.shape.dim]
    if input_shape is not None:
        fixed = tuple(int(d) for d in input_shape)
        if len(fixed) != len(dims) or any(isinstance(d, int) and d != f
                                           for d, f in zip(dims, fixed, strict=True)):
            raise ModelError(f"{path}: input shape {list(fixed)} does not fit input "
                             f"{value.name!r} of shape {dims}")
    elif any(not isinstance(d, int) or d <= 0 for d in dims):
        raise ModelError(f"{path}: input {value.name!r} has a dynamic shape {dims}; export "
                         f"with a fixed input size or give one (--input-shape 1,3,32)")
    else:
        fixed = tuple(int(d) for d in dims)
    if not fixed or fixed[0] != 1:
        raise ModelError(f"{path}: input {value.name!r} has batch {fixed[0] if fixed else '?'};"
                         f" the C library runs one example at a time: export with batch 1")
    for graph in {id(g): g for g in (proto, reference) if g is not None}.values():
        dims_of = next(i for i in graph.graph.input if i.name == value.name)
        for d, size in zip(dims_of.type.tensor_type.shape.dim, fixed, strict=True):
            d.Clear()
            d.dim_value = size
    return OnnxModel(path, proto, (value.name,), (fixed,),
                     tuple(o.name for o in proto.graph.output), reference)
