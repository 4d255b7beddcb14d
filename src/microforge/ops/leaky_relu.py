"""LEAKY_RELU: int8 and int16 (identity and alpha multipliers, as TFLM's QuantizeLeakyRelu;
int16 takes any zero point, TFLM checks none) and float32."""

from __future__ import annotations

from dataclasses import dataclass

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import c_float, dtypes, pick, struct_call
from microforge.ops.base import EmitContext, register
from microforge.ops.elementwise_common import (
    UnaryElementwiseOp,
    f32,
    f32_div,
    int8_unary_problem,
    int16_unary_problem,
)
from microforge.ops.quant import quantize_multiplier


@dataclass(frozen=True)
class LeakyReluParams:
    dtype: str
    alpha: float
    input_zero_point: int = 0
    output_zero_point: int = 0
    identity_multiplier: int = 0
    identity_shift: int = 0
    alpha_multiplier: int = 0  # magnitude; alpha_negative carries the sign
    alpha_shift: int = 0
    alpha_negative: bool = False


@register
class LeakyRelu(UnaryElementwiseOp):
    op_type = "LEAKY_RELU"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if dtypes(graph, op) == ("int16", "int16"):
            return int16_unary_problem(op, graph, zero_points=False)
        return int8_unary_problem(op, graph)

    def prepare(self, op: Operator, graph: Graph) -> LeakyReluParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        alpha = float(f32(op.options.get("alpha", 0.2)))
        if out.dtype == "float32":
            return LeakyReluParams("float32", alpha)
        # TFLM's source computes both real multipliers in float32, then QuantizeMultiplier
        # (double). At int16 the TFLM these tests run answers as the double products (the
        # float ones differ on some of the 65536 inputs; docs/ops.md), as for FULLY_CONNECTED.
        if out.dtype == "int16":
            alpha_real, identity_real = x.scale * alpha / out.scale, x.scale / out.scale
        else:
            alpha_real = float(f32(x.scale) * f32(alpha) / f32(out.scale))
            identity_real = f32_div(x.scale, out.scale)
        am, ash = quantize_multiplier(alpha_real)
        im, ish = quantize_multiplier(identity_real)
        return LeakyReluParams(out.dtype, alpha, x.zero_point, out.zero_point, im, ish, abs(am),
                               ash, am < 0)

    def emit(self, op: Operator, graph: Graph, params: LeakyReluParams,
             ctx: EmitContext) -> None:
        x, out, n = ctx.ptr(op.inputs[0]), ctx.ptr(op.outputs[0]), self.size(op, graph)
        if params.dtype == "float32":
            ctx.use_kernel("activation_f32")
            ctx.call(f"mf_leaky_relu_f32({n}, {c_float(params.alpha)}, {x}, {out});")
            return
        ctx.use_kernel("leaky_relu_s8")
        p = params
        fields = {"size": n, "alpha_negative": int(p.alpha_negative),
                  **pick(p, "input_zero_point output_zero_point identity_multiplier "
                            "identity_shift alpha_multiplier alpha_shift")}
        function = "mf_leaky_relu_s16" if params.dtype == "int16" else None
        ctx.call(struct_call("leaky_relu_s8", fields, [x, out], function=function))
