"""The int32 path of ADD, SUB, MUL, DIV, MAXIMUM and MINIMUM (unquantized int32 tensors, as
in TFLM's audio preprocessor): one kernel, kernels/binary_s32.c. TFLM applies the fused
activation to int32 MUL, DIV (CalculateActivationRange: RELU [0, max], RELU6 [0, 6],
RELU_N1_TO_1 [-1, 1]) and SUB, but not to int32 ADD (its Eval sets the full int32 range)."""

from __future__ import annotations

from microforge.c_literals import c_int
from microforge.ir.graph import Graph, Operator
from microforge.ops._support import ACTIVATIONS, activation_of, dtypes, struct_call
from microforge.ops.base import EmitContext
from microforge.ops.broadcast import BroadcastPlan, use_binary_kernel

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
_RANGES = {"NONE": (INT32_MIN, INT32_MAX), "RELU": (0, INT32_MAX), "RELU6": (0, 6),
           "RELU_N1_TO_1": (-1, 1)}
OPCODES = {"ADD": "MF_BINARY_S32_ADD", "SUB": "MF_BINARY_S32_SUB", "MUL": "MF_BINARY_S32_MUL",
           "DIV": "MF_BINARY_S32_DIV", "MAXIMUM": "MF_BINARY_S32_MAX",
           "MINIMUM": "MF_BINARY_S32_MIN"}
_ACTIVATED = ("SUB", "MUL", "DIV")


def is_int32(op: Operator, graph: Graph) -> bool:
    """All three tensors int32."""
    return dtypes(graph, op) == ("int32",) * 3


def int32_problem(op: Operator, graph: Graph) -> str | None:
    """None when the int32 path implements this op (unquantized tensors, known activation)."""
    if activation_of(op) not in ACTIVATIONS:
        return f"fused activation {activation_of(op)}"
    for index in (*op.inputs, *op.outputs):
        if graph.tensors[index].quant is not None:
            return "quantized int32 tensors (TFLM runs int32 unquantized only)"
    return None


def activation_range_int32(op: Operator) -> tuple[int, int]:
    if op.op_type not in _ACTIVATED:
        return INT32_MIN, INT32_MAX
    return _RANGES[activation_of(op)]


def emit_binary_s32(op: Operator, plan: BroadcastPlan, ctx: EmitContext) -> None:
    use_binary_kernel(ctx, "binary_s32")
    lo, hi = activation_range_int32(op)
    args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
    ctx.call(struct_call("binary_s32", {"shape": plan.c_initializer(),
                                        "op": OPCODES[op.op_type], "act_min": c_int(lo),
                                        "act_max": c_int(hi)}, args))
