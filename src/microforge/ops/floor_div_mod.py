"""FLOOR_DIV and FLOOR_MOD: float32 only (TFLM implements no other type), broadcasting.

Same float expressions as TFLite's reference: FLOOR_DIV is floor(a / b) on the float quotient,
FLOOR_MOD is fmod(a, b) moved by b when its sign differs from b's. Both are exact IEEE
operations, so the results match TFLM bit for bit. TFLM fails the invoke when the divisor of
FLOOR_DIV holds a zero; a constant divisor with a zero is refused at compile time here, a
computed one gives IEEE infinity/NaN (TFLM would return an error instead).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import dtypes, struct_call
from microforge.ops.base import EmitContext
from microforge.ops.broadcast import BroadcastBinaryOp, BroadcastPlan, use_binary_kernel


@dataclass(frozen=True)
class FloorDivModParams:
    plan: BroadcastPlan


class FloorDivModBase(BroadcastBinaryOp):
    opcode = "MF_FLOOR_DIV"

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        problem = self.broadcast_problem(op, graph)
        if problem:
            return problem
        kinds = dtypes(graph, op)
        if kinds != ("float32",) * 3:
            return f"dtypes {kinds} not implemented (TFLM implements float32 only)"
        return None

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        super().check_shapes(op, graph)
        divisor = graph.tensors[op.inputs[1]]
        if (self.opcode == "MF_FLOOR_DIV" and divisor.data is not None
                and bool(np.any(divisor.data == 0))):
            raise self.fail(op, f"constant divisor '{divisor.name}' holds a zero (TFLM fails "
                                "with 'Division by 0'); change the model's divisor")

    def prepare(self, op: Operator, graph: Graph) -> FloorDivModParams:
        return FloorDivModParams(self.plan(op, graph))

    def emit(self, op: Operator, graph: Graph, params: FloorDivModParams,
             ctx: EmitContext) -> None:
        use_binary_kernel(ctx, "floor_div_mod_f32")
        args = [ctx.ptr(op.inputs[0]), ctx.ptr(op.inputs[1]), ctx.ptr(op.outputs[0])]
        ctx.call(struct_call("floor_div_mod_f32",
                             {"shape": params.plan.c_initializer(), "op": self.opcode},
                             args))
