"""Single-op models of TFLM's signal-library custom ops, for the tests/ops/test_signal_*.py
comparisons with TFLM: built directly with the TFLite schema's object API (no converter
makes these ops), the options as a FlexBuffer map, as TFLM's own model generator writes them.
Also a helper that runs a model and TFLM side by side over a stream of invokes (state kept)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tests.fuzz.schema import pack, schema

# numpy dtype name -> tflite TensorType
TENSOR_TYPES = {"float32": 0, "int32": 2, "uint8": 3, "int64": 4, "bool": 6, "int16": 7,
                "int8": 9, "uint64": 12, "uint32": 15, "uint16": 16}
CUSTOM = 32  # BuiltinOperator.CUSTOM


@dataclass(frozen=True)
class Spec:
    """A tensor of the op: its shape and dtype, and its data when it is a constant."""

    shape: tuple[int, ...]
    dtype: str
    data: np.ndarray | None = None


def const(values: Any, dtype: str) -> Spec:
    array = np.asarray(values, dtype=dtype)
    return Spec(tuple(array.shape), dtype, array)


def signal_model(op_name: str, inputs: Sequence[Spec], outputs: Sequence[Spec],
                 options: dict[str, Any] | None = None, builtin: int = CUSTOM,
                 builtin_options: tuple[int, Any] | None = None) -> bytes:
    """A one-operator model running the custom op `op_name` (e.g. "SignalWindow"), or the
    builtin operator code `builtin` with `builtin_options` ((BuiltinOptions type, options
    object) or none); the non-constant inputs are the graph inputs, in order; every output
    is a graph output."""
    from flatbuffers import flexbuffers

    s = schema()
    model = s.ModelT()
    model.version = 3
    code = s.OperatorCodeT()
    code.builtinCode = builtin
    code.deprecatedBuiltinCode = min(builtin, 127)
    code.customCode = op_name if builtin == CUSTOM else None
    code.version = 1
    model.operatorCodes = [code]
    model.buffers = [s.BufferT()]
    tensors = []
    for n, spec in enumerate([*inputs, *outputs]):
        t = s.TensorT()
        t.shape = list(spec.shape)
        t.type = TENSOR_TYPES[spec.dtype]
        t.name = f"t{n}"
        t.buffer = 0
        if spec.data is not None:
            buf = s.BufferT()
            buf.data = list(np.ascontiguousarray(spec.data, dtype=spec.dtype).tobytes())
            model.buffers.append(buf)
            t.buffer = len(model.buffers) - 1
        tensors.append(t)
    op = s.OperatorT()
    op.opcodeIndex = 0
    op.inputs = list(range(len(inputs)))
    op.outputs = list(range(len(inputs), len(inputs) + len(outputs)))
    op.customOptions = list(flexbuffers.Dumps(options)) if options else None
    op.customOptionsFormat = 0
    if builtin_options is not None:
        op.builtinOptionsType, op.builtinOptions = builtin_options
    sub = s.SubGraphT()
    sub.tensors = tensors
    sub.inputs = [i for i, spec in enumerate(inputs) if spec.data is None]
    sub.outputs = list(op.outputs)
    sub.operators = [op]
    sub.name = "main"
    model.subgraphs = [sub]
    model.description = f"single {op_name}"
    return pack(model)


def assert_stream_matches_tflm(model: bytes, out_dir: Path, stream: Sequence[Sequence[np.ndarray]],
                               compare: Sequence[slice | None] | None = None) -> int:
    """Invoke our compiled model and TFLM once per item of `stream` (each a list of input
    arrays), state carried over, and require bit-identical outputs (only the `compare` slice
    of output k when given). Returns the number of invokes compared."""
    from microforge.runners.host import compile_and_load
    from microforge.runners.tflm import run_tflm, tflm_interpreter

    compiled = compile_and_load(model, out_dir, "op")
    interpreter = tflm_interpreter(model)
    for step, inputs in enumerate(stream):
        reference = run_tflm(model, list(inputs), interpreter)
        ours = compiled.run(list(inputs))
        assert len(ours) == len(reference)
        for k, (a, b) in enumerate(zip(ours, reference, strict=True)):
            assert a.shape == b.shape and a.dtype == b.dtype, (k, a.shape, b.shape, a.dtype,
                                                               b.dtype)
            part = compare[k] if compare is not None else None
            if part is not None:
                a, b = a.reshape(-1)[part], b.reshape(-1)[part]
            if not np.array_equal(a, b):
                bad = np.flatnonzero(a.reshape(-1) != b.reshape(-1))
                raise AssertionError(f"invoke {step}, output {k}: {bad.size} values differ, "
                                     f"first at {bad[0]}: ours {a.reshape(-1)[bad[0]]}, TFLM "
                                     f"{b.reshape(-1)[bad[0]]}")
    return len(stream)
