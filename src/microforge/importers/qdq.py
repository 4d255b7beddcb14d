"""A QDQ-quantized ONNX model (onnxruntime's `quantize_static`, QuantFormat.QDQ) back to the
float graph it was made from: DequantizeLinear of a constant becomes the float constant, and a
QuantizeLinear -> DequantizeLinear pair on an activation is dropped, or becomes a Relu where
its range starts at 0 (onnxruntime folds a Relu into the quantization range of its input). The importer then
quantizes it again with the calibration samples (the QDQ scales are not kept: TFLite's
quantizer chooses its own, as for a float model)."""

from __future__ import annotations

from typing import Any

import numpy as np

from microforge.importers.deps import require

QDQ_OPS = ("QuantizeLinear", "DequantizeLinear")


def is_qdq(proto: Any) -> bool:
    return any(node.op_type in QDQ_OPS for node in proto.graph.node)


def _dequantized(values: np.ndarray, scale: np.ndarray, zero: np.ndarray | None,
                 axis: int) -> np.ndarray:
    q = values.astype(np.float32) - (0 if zero is None else zero.astype(np.float32)
                                     if zero.ndim == 0 else _along(zero, axis, values.ndim))
    s = scale if scale.ndim == 0 else _along(scale, axis, values.ndim)
    return (q * s).astype(np.float32)


def _along(v: np.ndarray, axis: int, ndim: int) -> np.ndarray:
    shape = [1] * ndim
    shape[axis % ndim] = -1
    return v.astype(np.float32).reshape(shape)


def _clamps_at_zero(node: Any, consts: dict[str, np.ndarray]) -> bool:
    """A QuantizeLinear whose zero point is its type's minimum: its range is [0, max]."""
    if len(node.input) < 3 or node.input[2] not in consts:
        return False
    zero = consts[node.input[2]]
    return bool(np.all(zero == np.iinfo(zero.dtype).min))


def strip_qdq(proto: Any) -> Any:
    """A copy of `proto` with the Q/DQ nodes removed (float graph); `proto` is unchanged."""
    onnx = require("onnx")
    numpy_helper = onnx.numpy_helper
    model = onnx.ModelProto()
    model.CopyFrom(proto)
    graph = model.graph
    consts = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    rename: dict[str, str] = {}
    kept, new_consts = [], []
    for node in graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        axis = int(attrs.get("axis", 1))
        if node.op_type == "DequantizeLinear" and node.input[0] in consts:
            zero = consts.get(node.input[2]) if len(node.input) > 2 and node.input[2] else None
            value = _dequantized(consts[node.input[0]], consts[node.input[1]], zero, axis)
            new_consts.append(numpy_helper.from_array(value, node.output[0]))
            continue
        if node.op_type == "QuantizeLinear" and _clamps_at_zero(node, consts):
            kept.append(onnx.helper.make_node("Relu", [node.input[0]], [node.output[0]]))
            continue
        if node.op_type in QDQ_OPS:  # an activation's Q or DQ: the value passes through
            rename[node.output[0]] = node.input[0]
            continue
        kept.append(node)

    def source(name: str) -> str:
        while name in rename:
            name = rename[name]
        return name

    for node in kept:
        for i, name in enumerate(node.input):
            node.input[i] = source(name)
    outputs = {o.name for o in graph.output}
    for out in graph.output:
        out.name = source(out.name) if out.name in rename else out.name
    del graph.node[:]
    graph.node.extend(kept)
    used = {name for node in kept for name in node.input} | outputs
    initializers = [t for t in graph.initializer if t.name in used] + new_consts
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    return model
