"""Compile-time copy plans shared by the layout ops (TRANSPOSE, STRIDED_SLICE, CONCATENATION, PAD).

A `CopyPlan` describes one strided copy as a loop nest over `counts`, with signed strides (in
elements) for the source and the destination. It is simplified in Python (unit dimensions
dropped, compatible neighbours merged, the contiguous innermost run turned into a byte count)
and then handed to the generic C kernel `mf_copy_strided` as byte strides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_array, struct_call
from microforge.ops.base import EmitContext, MemoryHints, OpDef

COPY_MAX_RANK = 6  # MF_COPY_MAX_RANK in copy_strided.h
LAYOUT_DTYPES = ("int8", "float32")
ALL_DTYPES = ("float32", "int8", "uint8", "int16", "int32", "int64", "bool")  # ir/tensor.py
KERNEL = "copy_strided"


def row_major_strides(shape: Sequence[int]) -> tuple[int, ...]:
    """Element strides of a contiguous (C-order) array of `shape`."""
    strides = [1] * len(shape)
    for axis in range(len(shape) - 2, -1, -1):
        strides[axis] = strides[axis + 1] * int(shape[axis + 1])
    return tuple(strides)


@dataclass(frozen=True)
class CopyPlan:
    """dst[dst_offset + sum(i_k * dst_strides[k])] = src[src_offset + sum(i_k * src_strides[k])]
    for every index vector i with 0 <= i_k < counts[k]; offsets and strides in elements."""

    counts: tuple[int, ...]
    src_strides: tuple[int, ...]
    dst_strides: tuple[int, ...]
    src_offset: int = 0
    dst_offset: int = 0

    @property
    def elements(self) -> int:
        n = 1
        for c in self.counts:
            n *= c
        return n

    def simplified(self) -> CopyPlan:
        """Same copy with unit dimensions removed and mergeable neighbours fused."""
        if self.elements == 0:
            return CopyPlan((0,), (0,), (0,), self.src_offset, self.dst_offset)
        dims = [(c, s, d) for c, s, d in zip(self.counts, self.src_strides, self.dst_strides,
                                              strict=True) if c != 1]
        merged: list[tuple[int, int, int]] = []
        for count, s, d in dims:
            if merged:
                pc, ps, pd = merged[-1]
                if ps == s * count and pd == d * count:
                    merged[-1] = (pc * count, s, d)
                    continue
            merged.append((count, s, d))
        return CopyPlan(tuple(m[0] for m in merged), tuple(m[1] for m in merged),
                        tuple(m[2] for m in merged), self.src_offset, self.dst_offset)


@dataclass(frozen=True)
class CopyCall:
    """The kernel's parameters: a simplified plan in bytes, innermost contiguous run folded."""

    counts: tuple[int, ...]
    src_strides: tuple[int, ...]  # bytes
    dst_strides: tuple[int, ...]  # bytes
    src_offset: int  # bytes
    dst_offset: int  # bytes
    run_bytes: int

    @classmethod
    def from_plan(cls, plan: CopyPlan, itemsize: int) -> CopyCall:
        p = plan.simplified()
        counts, ss, ds = list(p.counts), list(p.src_strides), list(p.dst_strides)
        run = itemsize
        if counts and counts[-1] > 0 and ss[-1] == 1 and ds[-1] == 1:
            run *= counts.pop()
            ss.pop()
            ds.pop()
        if len(counts) > COPY_MAX_RANK:
            raise ValueError(f"copy needs {len(counts)} loop levels, more than {COPY_MAX_RANK}")
        return cls(tuple(counts), tuple(s * itemsize for s in ss), tuple(d * itemsize for d in ds),
                   p.src_offset * itemsize, p.dst_offset * itemsize, run)

    def fields(self) -> dict[str, object]:
        """The mf_copy_strided_params fields."""
        return {"rank": len(self.counts), "count": c_array(self.counts, COPY_MAX_RANK),
                "src_stride": c_array(self.src_strides, COPY_MAX_RANK),
                "dst_stride": c_array(self.dst_strides, COPY_MAX_RANK),
                "src_offset": self.src_offset, "dst_offset": self.dst_offset,
                "run_bytes": self.run_bytes}

    @property
    def moved_bytes(self) -> int:
        n = self.run_bytes
        for c in self.counts:
            n *= c
        return n


def emit_copy(ctx: EmitContext, call: CopyCall, src: str, dst: str) -> None:
    """One `mf_copy_strided` statement with a static const parameter block."""
    ctx.use_kernel(KERNEL)
    ctx.call(struct_call("copy_strided", call.fields(), [src, dst]))


def same_dtype_reason(op: Operator, graph: Graph, data_inputs: Sequence[int] = (0,),
                      same_quant: bool = False,
                      allowed: Sequence[str] = LAYOUT_DTYPES) -> str | None:
    """None when the data inputs and the output share a dtype of `allowed` (and, with
    `same_quant`, the same int8 scale and zero point, which TFLM checks for CONCATENATION).
    Without it the raw int8 bytes are moved whatever the quantization, exactly as TFLM does."""
    out = graph.tensors[op.outputs[0]]
    if out.dtype not in allowed:
        names = ", ".join(allowed[:-1]) + " and " + allowed[-1] if len(allowed) > 1 else allowed[0]
        return f"{out.dtype} tensors (only {names})"
    for position in data_inputs:
        t = graph.tensors[op.inputs[position]]
        if t.dtype != out.dtype:
            return f"input {position} is {t.dtype} but the output is {out.dtype}"
        if out.dtype == "int8" and same_quant:
            if t.quant is None or out.quant is None:
                return "int8 tensors without quantization parameters"
            if t.quant.per_channel or out.quant.per_channel:
                return "per-channel quantized activations"
            if t.scale != out.scale or t.zero_point != out.zero_point:
                return (f"input {position} has scale/zero point {t.scale:g}/{t.zero_point} but "
                        f"the output {out.scale:g}/{out.zero_point} (TFLM rejects this too)")
    return None


def const_ints(graph: Graph, op: Operator, position: int) -> list[int] | None:
    """Values of a constant integer input, or None when it is absent or not constant."""
    if len(op.inputs) <= position or op.inputs[position] < 0:
        return None
    t = graph.tensors[op.inputs[position]]
    if t.data is None or t.dtype not in ("int32", "int64"):
        return None
    return [int(v) for v in t.data.reshape(-1)]


def emit_alias_or_copy(op: Operator, graph: Graph, ctx: EmitContext) -> None:
    """Pure aliases (RESHAPE, SQUEEZE, EXPAND_DIMS): nothing to do when the planner gave the
    output the input's memory; a plain byte copy when it could not (e.g. a graph output)."""
    src, dst = ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0])
    if src != dst:
        ctx.call(f"memcpy({dst}, {src}, {graph.tensors[op.outputs[0]].nbytes});")


class AliasOp(OpDef):
    """Ops that only change the shape: the output is the input's memory, no kernel."""

    def memory(self, op: Operator, graph: Graph, params: object) -> MemoryHints:
        return MemoryHints(alias_input=0)

    def emit(self, op: Operator, graph: Graph, params: object, ctx: EmitContext) -> None:
        emit_alias_or_copy(op, graph, ctx)


def outer_inner(shape: Sequence[int], axis: int) -> tuple[int, int]:
    """(product of the dimensions before `axis`, product of those after it)."""
    outer = inner = 1
    for d in shape[:axis]:
        outer *= int(d)
    for d in shape[axis + 1:]:
        inner *= int(d)
    return outer, inner
