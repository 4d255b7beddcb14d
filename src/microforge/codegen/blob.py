"""The model-blob compiler mode: what a retraining can change, out of the code, into a blob.

`plan_blob(model, variants, ...)` compares the emission of the model with emissions of
perturbed copies (`codegen/perturb.py`: other scales, zero points and trained values, the
same architecture). Every constant array and every numeric literal of a kernel call that
differs between them is a value of training (weights, biases, per-channel / per-tensor
multipliers and shifts, zero points, activation clamps, LUTs) and is read from the blob; the
rest (dimensions, strides, arena offsets, permutations, indices) stays in the code. The
statements are rewritten to read those literals through one base pointer
(`mf_<name>_set_blob`), struct parameters become automatic (their initializers are no
longer constant).

The GRAPH_ABI_HASH is SHA-256 over exactly what the firmware built from this plan depends on:
the rewritten statements (model name normalized), the kernels, the constants left in the
code with their values, the blob layout (offset, type, count of every slot), the blob size,
the arena size and the I/O shapes and dtypes. A blob built from another model is accepted
only when all of it is the same, i.e. when the same firmware would run it correctly.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from microforge.codegen.c_tokens import Token, replace_spans, tokenize
from microforge.codegen.emitter import CEmitter, ConstArray
from microforge.errors import ModelError

if TYPE_CHECKING:
    from microforge.codegen.render import IODetail

BLOB_MAGIC = b"MFWB"
BLOB_FORMAT = 1
HEADER_SIZE = 64
BLOB_ALIGN = 8
ABI_VERSION = 2
# status codes of mf_<name>_set_blob / invoke (also the macros of the generated header)
BLOB_STATUS = {0: "ok", 1: "not_set", 2: "too_short", 3: "misaligned", 4: "bad_magic",
               5: "bad_format", 6: "abi_mismatch", 7: "bad_size", 8: "truncated"}

_SCALAR = {"i32": ("<i4", "int32_t", 4), "i64": ("<i8", "int64_t", 8),
           "f32": ("<f4", "float", 4), "f64": ("<f8", "double", 8)}
_ARRAY_NUMPY = {"float": "<f4", "int8_t": "i1", "uint8_t": "u1", "int16_t": "<i2",
                "int32_t": "<i4", "int64_t": "<i8"}


@dataclass(frozen=True)
class BlobSlot:
    """One value or array in the blob."""

    what: str  # "op 3 literal 7", "const mf_kws_op3_bias_5", "input0 scale"
    kind: str  # i32 / i64 / f32 / f64 (a scalar) or an array's C type
    offset: int
    count: int
    data: bytes = field(repr=False, default=b"")


@dataclass
class BlobPlan:
    """The blob layout of one compiled model, its statements rewritten, its ABI hash."""

    slots: list[BlobSlot]
    size: int
    statements: list[list[str]]  # per emitted op, rewritten
    blob_consts: dict[str, BlobSlot]  # const symbol -> its slot
    baked: list[ConstArray]  # constants that stay in the code
    io_slots: dict[str, BlobSlot]  # "input0_scale" -> slot
    scalar_kinds: set[str]
    abi_hash: bytes = b""

    def blob_bytes(self) -> bytes:
        """The blob of the model the plan was made from: header, then every slot."""
        body = bytearray(self.size)
        header = BLOB_MAGIC + struct.pack("<HHII", BLOB_FORMAT, HEADER_SIZE, self.size, 0)
        body[:len(header)] = header
        body[16:48] = self.abi_hash
        for slot in self.slots:
            body[slot.offset:slot.offset + len(slot.data)] = slot.data
        return bytes(body)


def read_blob_header(blob: bytes) -> dict:
    """The header fields of a blob (not checked beyond its length and magic)."""
    if len(blob) < HEADER_SIZE or blob[:4] != BLOB_MAGIC:
        raise ModelError("not a microforge model blob (no MFWB header); build one with "
                         "`microforge compile MODEL -o DIR --weights blob`")
    fmt, header, size, _ = struct.unpack_from("<HHII", blob, 4)
    return {"format": fmt, "header_size": header, "size": size,
            "abi_hash": bytes(blob[16:48])}


class _Layout:
    def __init__(self) -> None:
        self.offset = HEADER_SIZE
        self.slots: list[BlobSlot] = []

    def add(self, what: str, kind: str, count: int, data: bytes, align: int) -> BlobSlot:
        self.offset = -(-self.offset // align) * align
        slot = BlobSlot(what, kind, self.offset, count, data)
        self.offset += len(data)
        self.slots.append(slot)
        return slot


def _scalar_kind(tokens: list[Token]) -> str:
    kinds = {t.literal for t in tokens}
    if len(kinds) != 1:
        raise ValueError("literal kinds differ")
    kind = kinds.pop()
    if kind == "int":
        values = [int(t.value()) for t in tokens]
        return "i32" if all(-(2**31) <= v < 2**31 for v in values) else "i64"
    assert kind is not None
    return kind


def _structure_error(op_type: str, op_index: int, what: str) -> ModelError:
    return ModelError(f"operator {op_index} ({op_type}): {what} depends on the trained values, "
                      "so it cannot be compiled for a model blob; compile with --weights baked")


def plan_blob(model: CEmitter, variants: list[CEmitter], ios: list[IODetail],
              arena_size: int, layout_flags: dict[str, bool]) -> BlobPlan:
    """Compare the emission of the model with its perturbed variants and plan the blob."""
    prefix = model.prefix
    layout = _Layout()
    io_slots: dict[str, BlobSlot] = {}
    for io in ios:
        if io.scale is None or io.zero_point is None:
            continue
        tag = f"{io.kind}{io.position}"
        io_slots[f"{tag}_scale"] = layout.add(f"{tag} scale", "f32", 1,
                                              struct.pack("<f", io.scale), 4)
        io_slots[f"{tag}_zero_point"] = layout.add(f"{tag} zero point", "i32", 1,
                                                   struct.pack("<i", io.zero_point), 4)
    for other in variants:
        if other.kernels != model.kernels or len(other.ops) != len(model.ops):
            raise ModelError("the choice of kernels depends on the trained values, so the "
                             "model cannot be compiled for a model blob; compile with "
                             "--weights baked")
        if [(c.symbol, c.c_type, c.values.size) for c in other.consts] != [
                (c.symbol, c.c_type, c.values.size) for c in model.consts]:
            bad = next(i for i, (a, b) in enumerate(zip(model.consts, other.consts,
                                                        strict=False))
                       if (a.symbol, a.c_type, a.values.size) != (b.symbol, b.c_type,
                                                                   b.values.size))
            raise ModelError(f"the layout of the constant {model.consts[bad].symbol} depends on "
                             "the trained values, so the model cannot be compiled for a model "
                             "blob; compile with --weights baked")
    blob_consts: dict[str, BlobSlot] = {}
    baked: list[ConstArray] = []
    for i, const in enumerate(model.consts):
        if any(not np.array_equal(const.values, v.consts[i].values) for v in variants):
            data = const.values.astype(_ARRAY_NUMPY[const.c_type]).tobytes()
            blob_consts[const.symbol] = layout.add(f"const {const.symbol}", const.c_type,
                                                   int(const.values.size), data, BLOB_ALIGN)
        else:
            baked.append(const)
    statements: list[list[str]] = []
    kinds: set[str] = set()
    blob_symbols = set(blob_consts)
    for k, op in enumerate(model.ops):
        rewritten = []
        others = [v.ops[k] for v in variants]
        if any((o.op_index, o.op_type, len(o.statements)) != (op.op_index, op.op_type,
                                                              len(op.statements))
               for o in others):
            raise _structure_error(op.op_type, op.op_index, "the generated code")
        for s, text in enumerate(op.statements):
            tokens = tokenize(text)
            other_tokens = [tokenize(o.statements[s]) for o in others]
            replacements: dict[int, str] = {}
            for t, tok in enumerate(tokens):
                column = [tok] + [ot[t] if t < len(ot) else Token("") for ot in other_tokens]
                if any(len(ot) != len(tokens) for ot in other_tokens) or (
                        tok.literal is None and any(c.text != tok.text for c in column)):
                    raise _structure_error(op.op_type, op.op_index, "the generated code")
                if tok.literal is None or all(c.text == tok.text for c in column):
                    continue
                try:
                    kind = _scalar_kind(column)
                except ValueError:
                    raise _structure_error(op.op_type, op.op_index,
                                           "the type of a literal") from None
                numpy_type, _, size = _SCALAR[kind]
                slot = layout.add(f"operator {op.op_index} literal {t}", kind, 1,
                                  np.array([tok.value()], dtype=numpy_type).tobytes(), size)
                replacements[t] = f"{prefix}_blob_{kind}({slot.offset})"
                kinds.add(kind)
            uses_blob = bool(replacements) or any(tok.text in blob_symbols for tok in tokens)
            text = replace_spans(text, replacements, tokens)
            if uses_blob:  # the initializers read the blob: automatic, not static, storage
                text = text.replace("static const ", "const ")
            rewritten.append(text)
        statements.append(rewritten)
    size = -(-layout.offset // BLOB_ALIGN) * BLOB_ALIGN
    plan = BlobPlan(layout.slots, size, statements, blob_consts, baked, io_slots, kinds)
    plan.abi_hash = _abi_hash(plan, model, ios, arena_size, layout_flags)
    return plan


def _abi_hash(plan: BlobPlan, model: CEmitter, ios: list[IODetail], arena_size: int,
              layout_flags: dict[str, bool]) -> bytes:
    names = {c.symbol: f"@c{i}" for i, c in enumerate(model.consts)}
    names[f"{model.prefix}_arena"] = "@arena"
    for kind in _SCALAR:
        names[f"{model.prefix}_blob_{kind}"] = f"@blob_{kind}"
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len,
                                                                   reverse=True))) + r")\b")

    def normal(text: str) -> str:
        return pattern.sub(lambda m: names[m.group(1)], text)

    description = {
        "abi": ABI_VERSION, "blob_format": BLOB_FORMAT, "arena": arena_size,
        "blob_size": plan.size, "layout": layout_flags, "kernels": model.kernels,
        "io": [[io.kind, io.dtype, list(io.shape), io.scale is not None] for io in ios],
        "ops": [[op.op_type, [normal(s) for s in plan.statements[k]]]
                for k, op in enumerate(model.ops)],
        "baked": [[names[c.symbol], c.c_type, hashlib.sha256(c.values.tobytes()).hexdigest()]
                  for c in plan.baked],
        "slots": [[s.kind, s.offset, s.count] for s in plan.slots],
    }
    text = json.dumps(description, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).digest()


def scalar_c_type(kind: str) -> str:
    return _SCALAR[kind][1]
