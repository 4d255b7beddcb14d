"""Structure-aware mutants of .tflite models: the model is unpacked with the TFLite schema's
object API (tests/fuzz/schema.py), fields are located by meaning and patched, and the model is
rebuilt. One family per class of hostile input the compiler must handle:

- names: comment terminators, preprocessor lines, NUL and control bytes, huge names
- inputs: required operator inputs absent (-1), wrong tensors, inputs added or dropped
- quant: zero points and scales out of range, quantization arrays of the wrong length/axis
- dims: huge, zero or negative dimensions, changed ranks
- constants: NaN / inf / float32 extremes, int8 and int32 (bias) extremes
- options: every builtin option field: unknown enums, NaN floats, zero / huge integers; and a
  custom op's FlexBuffer options (signal ops): a field set to an extreme or a wrong type,
  dropped, or the bytes truncated or garbled
- graph_io: graph inputs and outputs duplicated, constant, swapped

`mutant(data, seed, index)` is deterministic: the same (seed, index) gives the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np

from tests.fuzz.schema import buffer_data, pack, unpack

FAMILIES = ("names", "inputs", "quant", "dims", "constants", "options", "graph_io")

HOSTILE_NAMES = (
    b"x */ int mf_injected; /* y", b"*/", b"/*", b"a\n#error injected\n", b"\\", b"??/", b"??=",
    b"\x00\x01\x02*/\x7f\xff", "caf\u00e9 */ \u2028".encode(), b"%s%n{{ name }}", b'"\'',
)
INT_EXTREMES = (-1, 0, 1, 2, 127, 128, 255, 256, 65535, 65536, 1 << 24, (1 << 31) - 1, -(1 << 31),
                (1 << 32) - 1)
FLOAT_EXTREMES = (float("nan"), float("inf"), float("-inf"), 0.0, -1.0, 1e-45, 1e-38, 1e-30,
                  1e-20, 1e20, 1e30, 3.4e38)


def mutant(data: bytes, seed: int, index: int) -> tuple[str, bytes]:
    """(description, bytes) of mutant `index` of `data`: 1-3 mutations of random families."""
    rng = random.Random(seed * 1_000_003 + index)
    model = unpack(data)
    notes = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        family = rng.choice(FAMILIES)
        notes.append(f"{family}: {MUTATORS[family](model, rng)}")
    return "; ".join(notes), pack(model)


def _sub(model: Any) -> Any:
    return model.subgraphs[0]


def _names(model: Any, rng: random.Random) -> str:
    t = rng.choice(_sub(model).tensors)
    choice = rng.random()
    if choice < 0.6:
        t.name = (t.name or b"")[: rng.randrange(8)] + rng.choice(HOSTILE_NAMES)
    elif choice < 0.8:
        t.name = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    else:
        t.name = b"n" * rng.choice((4096, 4097, 70000))
    return f"tensor name {t.name[:24]!r}... ({len(t.name)} bytes)"


def _inputs(model: Any, rng: random.Random) -> str:
    sub = _sub(model)
    op = rng.choice(sub.operators)
    inputs = list(op.inputs) if op.inputs is not None else []
    choice = rng.random()
    if inputs and choice < 0.45:
        k = rng.randrange(len(inputs))
        inputs[k] = rng.choice((-1, -1, rng.randrange(len(sub.tensors)),
                                (op.outputs[0] if op.outputs is not None and len(op.outputs)
                                 else -1), -2, len(sub.tensors)))
        what = f"input {k} -> {inputs[k]}"
    elif choice < 0.65:
        inputs.append(rng.choice((-1, rng.randrange(len(sub.tensors)))))
        what = f"appended input {inputs[-1]}"
    elif choice < 0.85:
        inputs = inputs[: rng.randrange(len(inputs) + 1)]
        what = f"inputs cut to {len(inputs)}"
    else:
        outputs = list(op.outputs) if op.outputs is not None else []
        outputs = rng.choice(([], outputs + outputs[:1], [rng.randrange(len(sub.tensors))]))
        op.outputs = np.array(outputs, dtype=np.int32)
        return f"operator outputs -> {outputs}"
    op.inputs = np.array(inputs, dtype=np.int32)
    return f"operator {op.opcodeIndex}: {what}"


def _quant(model: Any, rng: random.Random) -> str:
    from tests.fuzz.schema import schema

    t = rng.choice(_sub(model).tensors)
    q = t.quantization
    if q is None or q.scale is None or len(q.scale) == 0:
        q = t.quantization = schema().QuantizationParametersT()
        q.scale, q.zeroPoint = np.array([0.05], np.float32), np.array([0], np.int64)
    scale = np.array(q.scale, dtype=np.float32)
    zps = np.array(q.zeroPoint if q.zeroPoint is not None else np.zeros(len(scale)), np.int64)
    choice = rng.random()
    if choice < 0.35:
        zps[rng.randrange(len(zps))] = rng.choice((-129, 128, 255, 256, -(1 << 31), (1 << 31) - 1,
                                                   (1 << 63) - 1, -(1 << 63), -32769, 32768))
        what = f"zero point {list(zps[:3])}"
    elif choice < 0.7:
        scale[rng.randrange(len(scale))] = rng.choice(FLOAT_EXTREMES)
        what = f"scale {list(scale[:3])}"
    elif choice < 0.85:
        n = rng.choice((0, 2, len(scale) + 1, max(len(scale) - 1, 1)))
        scale = np.full(n, 0.1, np.float32)
        zps = np.zeros(rng.choice((n, n + 1, 0)), np.int64)
        what = f"{len(scale)} scales, {len(zps)} zero points"
    else:
        q.quantizedDimension = rng.choice((-1, 1, 3, 4, 100))
        what = f"quantized dimension {q.quantizedDimension}"
    q.scale, q.zeroPoint = scale, zps
    return f"tensor {t.name[:24]!r}: {what}"


def _dims(model: Any, rng: random.Random) -> str:
    t = rng.choice(_sub(model).tensors)
    shape = list(t.shape) if t.shape is not None else []
    choice = rng.random()
    if shape and choice < 0.6:
        shape[rng.randrange(len(shape))] = rng.choice((0, -1, 2, 3, 1 << 16, 1 << 24, (1 << 24) + 1,
                                                       (1 << 31) - 1))
    elif choice < 0.8:
        shape = shape + [rng.choice((1, 2, 1 << 20))] * rng.randint(1, 6)
    else:
        shape = shape[: rng.randrange(len(shape) + 1)]
    t.shape = np.array(shape, dtype=np.int32)
    return f"tensor {t.name[:24]!r} shape {shape}"


def _constants(model: Any, rng: random.Random) -> str:
    sub = _sub(model)
    consts = [t for t in sub.tensors if buffer_data(model, t) is not None]
    if not consts:
        return "no constant"
    t = rng.choice(consts)
    raw = np.array(buffer_data(model, t), dtype=np.uint8)
    dtype = {0: np.float32, 2: np.int32, 9: np.int8, 7: np.int16, 3: np.uint8}.get(t.type)
    if dtype is None or raw.size % np.dtype(dtype).itemsize:
        raw[rng.randrange(raw.size)] = rng.randrange(256)
        model.buffers[t.buffer].data = raw
        return f"tensor {t.name[:24]!r}: a byte"
    values = raw.view(dtype).copy()
    if dtype == np.float32:
        pool: list[Any] = [np.nan, np.inf, -np.inf, 3.4e38, -3.4e38, 1e-45, 0.0, 1e30]
    else:
        info = np.iinfo(dtype)
        pool = [info.max, info.min, info.max - 1, info.min + 1, 0, 1 << 30]
        pool = [v for v in pool if info.min <= v <= info.max]
    value = rng.choice(pool)
    if rng.random() < 0.5:
        values[:] = value
        where = "all"
    else:
        picks = [rng.randrange(values.size) for _ in range(rng.randint(1, 4))]
        values[picks] = value
        where = f"{len(picks)} of {values.size}"
    model.buffers[t.buffer].data = values.view(np.uint8)
    return f"tensor {t.name[:24]!r}: {where} -> {value}"


def _options(model: Any, rng: random.Random) -> str:
    ops = [op for op in _sub(model).operators
           if op.builtinOptions is not None or op.customOptions is not None]
    if not ops:
        return "no options"
    op = rng.choice(ops)
    if op.builtinOptions is None:
        return _custom_options(op, rng)
    fields = [k for k, v in vars(op.builtinOptions).items()
              if isinstance(v, (int, float, bool)) and not isinstance(v, np.ndarray)]
    if not fields:
        return "no scalar option"
    name = rng.choice(fields)
    old = getattr(op.builtinOptions, name)
    if isinstance(old, bool):
        new: Any = not old
    elif isinstance(old, float):
        new = rng.choice(FLOAT_EXTREMES)
    else:
        new = rng.choice(INT_EXTREMES + (-2, 3, 4, 5, 6, 7, 100))
    setattr(op.builtinOptions, name, new)
    if not _packs(op.builtinOptions):  # the field is narrower: a value of int8 / uint8 range
        new = rng.choice((-128, -2, -1, 3, 4, 5, 6, 7, 100, 127))
        setattr(op.builtinOptions, name, new)
        if not _packs(op.builtinOptions):
            new = rng.choice((2, 3, 4, 5, 6, 7, 100, 255))
            setattr(op.builtinOptions, name, new)
    return f"operator {op.opcodeIndex} option {name}: {old} -> {new}"


def _custom_options(op: Any, rng: random.Random) -> str:
    """Mutate a custom op's FlexBuffer options map."""
    from flatbuffers import flexbuffers

    raw = bytes(bytearray(int(b) & 0xFF for b in op.customOptions))
    choice = rng.randrange(4)
    if choice == 0:  # garbled or truncated bytes
        data = bytearray(raw)
        if data and rng.random() < 0.5:
            del data[rng.randrange(len(data)):]
        for _ in range(rng.randint(1, 3)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        op.customOptions = list(data)
        return f"custom options bytes garbled ({len(raw)} -> {len(data)})"
    options = flexbuffers.Loads(raw)
    if not isinstance(options, dict) or not options:
        return "custom options not a map"
    name = rng.choice(sorted(options))
    old = options[name]
    if choice == 1:
        del options[name]
        new: Any = "(dropped)"
    elif choice == 2:
        new = rng.choice((*INT_EXTREMES, -2, 3, 7, 100, 1 << 40, -(1 << 40)))
        options[name] = new
    else:
        new = rng.choice((True, False, 0.5, float("nan"), "x", [1, 2]))
        options[name] = new
    op.customOptions = list(flexbuffers.Dumps(options))
    return f"custom option {name}: {old} -> {new}"


def _packs(table: Any) -> bool:
    import flatbuffers

    try:
        table.Pack(flatbuffers.Builder(64))
    except (TypeError, OverflowError):
        return False
    return True


def _graph_io(model: Any, rng: random.Random) -> str:
    sub = _sub(model)
    inputs, outputs = list(sub.inputs), list(sub.outputs)
    consts = [i for i, t in enumerate(sub.tensors) if buffer_data(model, t) is not None]
    choice = rng.random()
    if choice < 0.3:
        inputs = inputs + inputs[:1]
    elif choice < 0.5:
        outputs = outputs + outputs[:1]
    elif choice < 0.65 and consts:
        inputs[0] = rng.choice(consts)
    elif choice < 0.8:
        outputs[0] = inputs[0]
    else:
        inputs, outputs = outputs, inputs
    sub.inputs, sub.outputs = np.array(inputs, np.int32), np.array(outputs, np.int32)
    return f"graph inputs {inputs}, outputs {outputs}"


MUTATORS: dict[str, Callable[[Any, random.Random], str]] = {
    "names": _names, "inputs": _inputs, "quant": _quant, "dims": _dims,
    "constants": _constants, "options": _options, "graph_io": _graph_io,
}
