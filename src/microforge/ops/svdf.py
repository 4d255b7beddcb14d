"""SVDF: TFLM's svdf_common.cc, float32 and int8 (int8 input/output, int8 feature weights,
int16 or int8 time weights and state, int32 bias). The activation state [batch, filters x
memory] is a variable tensor: it lives in the model's state area (codegen/state.py), carries
over between invokes and is cleared by mf_<name>_reset(). Multipliers as TFLM's Prepare:
input x feature / state and state x time / output scales, each product and quotient in float32
before QuantizeMultiplier. As TFLM the integer path needs a bias and applies no fused
activation; float32 applies NONE/RELU/RELU6/RELU_N1_TO_1."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ops._support import float_activation_range, named, struct_call
from microforge.ops.base import Cost, EmitContext, MemoryHints, OpDef, register
from microforge.ops.quant import quantize_multiplier

INPUT, FEATURE, TIME, BIAS, STATE = 0, 1, 2, 3, 4
FLOAT_ACTIVATIONS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")


@dataclass(frozen=True)
class SvdfParams:
    kind: str  # "f32", "s8_s16", "s8_s8"
    fields: tuple[str, ...]
    scratch_bytes: int
    macs: int


def _present(op: Operator, i: int) -> bool:
    return i < len(op.inputs) and op.inputs[i] != NO_TENSOR


def _f32_ratio(a: float, b: float, c: float) -> float:
    """TFLM's static_cast<double>(a * b / c), all three floats."""
    return float(np.float32(np.float32(a) * np.float32(b)) / np.float32(c))


@register
class Svdf(OpDef):
    op_type = "SVDF"
    dtypes = ("float32", "int8")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) != 5 or len(op.outputs) != 1:
            return "needs input, feature and time weights, bias, state and one output"
        t = [graph.tensors[i] if i != NO_TENSOR else None for i in op.inputs]
        x, feature, time, bias, state = t
        out = graph.tensors[op.outputs[0]]
        if x is None or feature is None or time is None or state is None:
            return "input, weights and state must be present"
        if not state.is_variable:
            return "the activation state must be a variable tensor"
        if not feature.is_constant or not time.is_constant or (bias and not bias.is_constant):
            return "weights and bias must be constant"
        activation = str(op.options.get("fused_activation_function", "NONE"))
        if x.dtype == "float32":
            kinds = {feature.dtype, time.dtype, state.dtype, out.dtype} | (
                {bias.dtype} if bias else set())
            if kinds != {"float32"}:
                return f"float32 SVDF with {sorted(kinds)} tensors"
            return None if activation in FLOAT_ACTIVATIONS else f"fused activation {activation}"
        if x.dtype != "int8" or out.dtype != "int8" or feature.dtype != "int8":
            return f"dtypes {x.dtype}/{feature.dtype}/{out.dtype} (int8 input, weights, output)"
        if time.dtype != state.dtype or time.dtype not in ("int16", "int8"):
            return f"time weights {time.dtype} and state {state.dtype} (both int16 or int8)"
        if bias is None or bias.dtype != "int32":
            return "int8 SVDF needs an int32 bias (TFLM reads its scale)"
        if any(q is None or q.quant is None or q.quant.per_channel
               for q in (x, feature, time, state, out)):
            return "int8 tensors need one scale each"
        return None

    def _dims(self, op: Operator, graph: Graph) -> tuple[int, int, int, int, int, int]:
        x = graph.tensors[op.inputs[INPUT]]
        feature, time = graph.tensors[op.inputs[FEATURE]], graph.tensors[op.inputs[TIME]]
        rank = int(op.options.get("rank", 1))
        if len(x.shape) != 2 or len(feature.shape) != 2 or len(time.shape) != 2 or rank < 1:
            raise self.fail(op, "input and weights must be 2-D and the rank >= 1")
        filters = int(feature.shape[0])
        if filters % rank:
            raise self.fail(op, f"{filters} filters are not a multiple of the rank {rank}")
        return int(x.shape[0]), int(x.shape[1]), filters, filters // rank, rank, int(time.shape[1])

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        batches, inputs, filters, units, _, memory = self._dims(op, graph)
        feature, time = graph.tensors[op.inputs[FEATURE]], graph.tensors[op.inputs[TIME]]
        state, out = graph.tensors[op.inputs[STATE]], graph.tensors[op.outputs[0]]
        checks = [(feature.shape[1], inputs, "feature weights' columns"),
                  (time.shape[0], filters, "time weights' rows"),
                  (tuple(out.shape), (batches, units), "output shape"),
                  (tuple(state.shape), (batches, memory * filters), "state shape")]
        if _present(op, BIAS):
            checks.append((graph.tensors[op.inputs[BIAS]].num_elements, units, "bias size"))
        for got, expected, what in checks:
            if got != expected:
                raise self.fail(op, f"{what} {got}, expected {expected}")

    def prepare(self, op: Operator, graph: Graph) -> SvdfParams:
        batches, inputs, filters, units, rank, memory = self._dims(op, graph)
        x = graph.tensors[op.inputs[INPUT]]
        dims = [batches, inputs, filters, units, rank, memory]
        macs = batches * filters * (inputs + memory)
        if x.dtype == "float32":
            lo, hi = float_activation_range(op)
            fields = [*map(str, dims), lo, hi, *["0"] * 7]
            return SvdfParams("f32", tuple(fields), 4 * batches * filters, macs)
        feature, time = graph.tensors[op.inputs[FEATURE]], graph.tensors[op.inputs[TIME]]
        state, out = graph.tensors[op.inputs[STATE]], graph.tensors[op.outputs[0]]
        m1, s1 = quantize_multiplier(_f32_ratio(x.scale, feature.scale, state.scale))
        m2, s2 = quantize_multiplier(_f32_ratio(state.scale, time.scale, out.scale))
        fields = [*map(str, dims), "0.0f", "0.0f", str(x.zero_point), str(state.zero_point),
                  str(out.zero_point), str(m1), str(s1), str(m2), str(s2)]
        kind = "s8_s16" if state.dtype == "int16" else "s8_s8"
        return SvdfParams(kind, tuple(fields), 4 * batches * (filters + units), macs)

    def cost(self, op: Operator, graph: Graph, params: SvdfParams) -> Cost:
        weights = sum(graph.tensors[op.inputs[i]].nbytes for i in (FEATURE, TIME, BIAS)
                      if _present(op, i))
        return Cost(macs=params.macs, weight_bytes=weights, scratch_bytes=params.scratch_bytes)

    def memory(self, op: Operator, graph: Graph, params: SvdfParams) -> MemoryHints:
        return MemoryHints(scratch_bytes=params.scratch_bytes)

    def emit(self, op: Operator, graph: Graph, params: SvdfParams, ctx: EmitContext) -> None:
        ctx.use_kernel("svdf")
        bias = ctx.ptr(op.inputs[BIAS]) if _present(op, BIAS) else "NULL"
        scratch_type = "float" if params.kind == "f32" else "int32_t"
        args = [ctx.ptr(op.inputs[INPUT]), ctx.ptr(op.inputs[FEATURE]), ctx.ptr(op.inputs[TIME]),
                bias, ctx.ptr(op.inputs[STATE]), ctx.ptr(op.outputs[0]),
                f"({scratch_type} *){ctx.scratch()}"]
        fields = named("batches inputs filters units rank memory act_min act_max "
                       "input_zero_point state_zero_point output_zero_point multiplier1 shift1 "
                       "multiplier2 shift2", params.fields)
        ctx.call(struct_call("svdf", fields, args, function=f"mf_svdf_{params.kind}"))
