"""TFLite broadcasting for binary elementwise ops, resolved at compile time.

The two input shapes are right-aligned; each dimension is equal or 1. The compiler turns that
into a 4-D walk (`mf_broadcast_shape` in elementwise_broadcast.h): output dims and, per input,
the element stride of each dim (0 where it is broadcast). Adjacent dims that walk the same way
are merged, so same-shape inputs become one flat loop and any rank folds into <= 4 dims.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import (
    c_array,
    dtypes,
    float_activation_range,
    per_tensor_problem,
    struct_call,
)
from microforge.ops.base import Cost, EmitContext, MemoryHints, OpDef
from microforge.ops.kernel_structs import designated

MAX_DIMS = 4


def broadcast_shape(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...] | None:
    """The broadcast result shape, or None when the shapes are incompatible."""
    rank = max(len(a), len(b))
    ea = (1,) * (rank - len(a)) + tuple(a)
    eb = (1,) * (rank - len(b)) + tuple(b)
    out = []
    for x, y in zip(ea, eb, strict=True):
        if x != y and 1 not in (x, y):
            return None
        out.append(y if x == 1 else x)
    return tuple(out)


def _strides(shape: tuple[int, ...], out: tuple[int, ...]) -> list[int]:
    ext = (1,) * (len(out) - len(shape)) + shape
    strides, step = [], 1
    for dim, odim in zip(reversed(ext), reversed(out), strict=True):
        strides.append(step if dim == odim else 0)
        step *= dim
    return strides[::-1]


@dataclass(frozen=True)
class BroadcastPlan:
    dims: tuple[int, int, int, int]
    stride1: tuple[int, int, int, int]
    stride2: tuple[int, int, int, int]

    @property
    def is_flat(self) -> bool:
        """Both inputs walked contiguously: no broadcasting at all."""
        return self.dims[:3] == (1, 1, 1) and self.stride1[3] == 1 and self.stride2[3] == 1

    def c_initializer(self) -> str:
        """The mf_broadcast_shape initializer (every field named)."""
        return designated("mf_broadcast_shape", {"dims": c_array(self.dims),
                                                 "stride1": c_array(self.stride1),
                                                 "stride2": c_array(self.stride2)})

    def gather(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Flat views of both inputs in output order (numpy model of the C walk)."""
        idx = np.indices(self.dims).reshape(4, -1)
        i1 = (np.asarray(self.stride1)[:, None] * idx).sum(axis=0)
        i2 = (np.asarray(self.stride2)[:, None] * idx).sum(axis=0)
        return a.reshape(-1)[i1], b.reshape(-1)[i2]


def plan_broadcast(shape1: Sequence[int], shape2: Sequence[int]) -> BroadcastPlan:
    """Raise ValueError when incompatible or when more than 4 dims remain after merging."""
    out = broadcast_shape(shape1, shape2)
    if out is None:
        raise ValueError(f"shapes {list(shape1)} and {list(shape2)} do not broadcast")
    s1, s2 = _strides(tuple(shape1), out), _strides(tuple(shape2), out)
    axes = [(d, a, b) for d, a, b in zip(out, s1, s2, strict=True) if d != 1]
    merged: list[tuple[int, int, int]] = []
    for d, a, b in axes:
        if merged:
            pd, pa, pb = merged[-1]
            if pa == a * d and pb == b * d:
                merged[-1] = (pd * d, a, b)
                continue
        merged.append((d, a, b))
    if len(merged) > MAX_DIMS:
        raise ValueError(f"broadcasting {list(shape1)} with {list(shape2)} needs "
                         f"{len(merged)} dims; at most {MAX_DIMS} are supported")
    merged = [(1, 0, 0)] * (MAX_DIMS - len(merged)) + merged
    dims, st1, st2 = (tuple(int(v[k]) for v in merged) for k in range(3))
    return BroadcastPlan(dims, st1, st2)  # type: ignore[arg-type]


class BroadcastBinaryOp(OpDef):
    """Two inputs broadcast against each other, one output of the broadcast shape."""

    def broadcast_problem(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 2 or len(op.outputs) != 1:
            return "needs two inputs and one output"
        a, b = (graph.tensors[i] for i in op.inputs)
        try:
            plan_broadcast(a.shape, b.shape)
        except ValueError as exc:
            return str(exc)
        return None

    def float_or_int8_problem(self, op: Operator, graph: Graph,
                              names: tuple[str, str, str] = ("input 1", "input 2", "output"),
                              ) -> str | None:
        """None for all-float32 tensors, or all-int8 ones quantized per tensor."""
        kinds = dtypes(graph, op)
        if kinds == ("float32",) * 3:
            return None
        if kinds != ("int8",) * 3:
            return f"dtypes {kinds} not implemented"
        for index, what in zip((*op.inputs, op.outputs[0]), names, strict=True):
            if problem := per_tensor_problem(graph.tensors[index], what):
                return problem
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        a, b = (graph.tensors[i] for i in op.inputs)
        out = graph.tensors[op.outputs[0]]
        expected = broadcast_shape(a.shape, b.shape)
        if expected is None:
            raise self.fail(op, f"input shapes {list(a.shape)} and {list(b.shape)} do not "
                                "broadcast")
        if int(np.prod(expected, dtype=np.int64)) != out.num_elements or (
                tuple(out.shape) != expected and len(out.shape) == len(expected)):
            raise self.fail(op, f"output shape {list(out.shape)} is not the broadcast shape "
                                f"{list(expected)}")

    def plan(self, op: Operator, graph: Graph) -> BroadcastPlan:
        a, b = (graph.tensors[i] for i in op.inputs)
        return plan_broadcast(a.shape, b.shape)

    def cost(self, op: Operator, graph: Graph, params: object) -> Cost:
        consts = sum(graph.tensors[i].nbytes for i in op.inputs if graph.tensors[i].is_constant)
        return Cost(weight_bytes=consts)

    def memory(self, op: Operator, graph: Graph, params: object) -> MemoryHints:
        out = graph.tensors[op.outputs[0]]
        for position, index in enumerate(op.inputs):
            t = graph.tensors[index]
            if not t.is_constant and t.dtype == out.dtype and t.num_elements == out.num_elements:
                return MemoryHints(inplace_input=position)
        return MemoryHints()


def emit_binary_f32(op: Operator, plan: BroadcastPlan, opcode: str, ctx: EmitContext) -> None:
    """float32 ADD/SUB/MUL/MAXIMUM/MINIMUM: one kernel, the op chosen by `opcode`."""
    use_binary_kernel(ctx, "binary_f32")
    lo, hi = float_activation_range(op)
    args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
    ctx.call(struct_call("binary_f32", {"shape": plan.c_initializer(), "op": opcode,
                                        "act_min": lo, "act_max": hi}, args))


def use_binary_kernel(ctx: EmitContext, name: str) -> None:
    """Include a binary kernel and the header-only broadcast walk it is built on."""
    ctx.use_kernel("elementwise_broadcast")
    ctx.use_kernel(name)
