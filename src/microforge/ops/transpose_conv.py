"""TRANSPOSE_CONV (float32; int8 with per-channel or per-tensor int8 weights and int32 bias), as
TFLM's transpose_conv.cc: inputs output_shape (constant), weights [out_c, kh, kw, in_c], input
and an optional bias; padding as ComputePaddingHeightWidth of the output size (dilation 1);
multipliers as a convolution's (PopulateConvolutionQuantizationParams, per channel, double);
the fused activation. The kernel (transpose_conv.c) is TFLite's scatter loop; int8 accumulates
in an int32 scratch of the output's size, as TFLM. 16x8 (int16 input / output, int8 weights):
TFLM's int16 TransposeConv, an int64 scratch, no input / output offsets, an int64 bias (an
int16 one widened here, as TFLM widens it at run time) or none, TFLite's int64
MultiplyByQuantizedMultiplier (shifts above 7 refused, as for the 16x8 CONV_2D)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.ir.graph import NO_TENSOR, Graph, Operator
from microforge.ops._support import (
    ACTIVATIONS,
    activation_of,
    check_int8_accumulator,
    float_activation_range,
    int8_activation_range,
    named,
    padding_and_output,
    per_channel_multipliers,
    pick,
    struct_call,
)
from microforge.ops.base import Cost, EmitContext, MemoryHints, OpDef, register
from microforge.ops.int16_common import (
    INT64_ACC_LIMIT,
    activation_range_int16,
    int16_tensor_problem,
    shift_problem,
)
from microforge.ops.layout_common import const_ints

SHAPE, WEIGHTS, INPUT, BIAS = 0, 1, 2, 3


GEOMETRY_FIELDS = ("batches in_h in_w in_c out_h out_w out_c filter_h filter_w stride_h "
                   "stride_w pad_h pad_w")


@dataclass(frozen=True)
class TransposeConvParams:
    dtype: str
    geometry: tuple[int, ...]  # GEOMETRY_FIELDS
    act: tuple[str, str] | tuple[int, int]
    multiplier: np.ndarray | None = None
    shift: np.ndarray | None = None
    input_offset: int = 0
    output_offset: int = 0

    def c_fields(self) -> dict[str, int]:
        """The geometry fields of the kernel's parameter struct, by name."""
        return dict(zip(GEOMETRY_FIELDS.split(), self.geometry, strict=True))


def _bias(op: Operator, graph: Graph):
    if len(op.inputs) > BIAS and op.inputs[BIAS] != NO_TENSOR:
        return graph.tensors[op.inputs[BIAS]]
    return None


@register
class TransposeConv(OpDef):
    op_type = "TRANSPOSE_CONV"
    dtypes = ("float32", "int8", "int16")

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        if len(op.inputs) not in (3, 4) or len(op.outputs) != 1:
            return "needs output shape, weights, input (and a bias) and one output"
        if activation_of(op) not in ACTIVATIONS:
            return f"fused activation {activation_of(op)}"
        if const_ints(graph, op, SHAPE) is None:
            return "the output shape is not constant"
        w, x = graph.tensors[op.inputs[WEIGHTS]], graph.tensors[op.inputs[INPUT]]
        out, bias = graph.tensors[op.outputs[0]], _bias(op, graph)
        if not w.is_constant or (bias is not None and not bias.is_constant):
            return "weights and bias must be constant"
        kinds = (x.dtype, w.dtype, out.dtype)
        if kinds == ("float32",) * 3:
            return None if bias is None or bias.dtype == "float32" else "float32 with a non-float bias"
        if kinds == ("int16", "int8", "int16"):
            return self._int16_problem(op, graph)
        if kinds != ("int8",) * 3:
            return f"dtypes {kinds} not implemented"
        if x.quant is None or w.quant is None or out.quant is None:
            return "int8 tensors without quantization parameters"
        if x.quant.per_channel or out.quant.per_channel:
            return "per-channel quantized activations"
        if any(z != 0 for z in w.quant.zero_point):
            return "weights with a non-zero zero point"
        if bias is not None and bias.dtype != "int32":
            return f"{bias.dtype} bias (int8 needs int32)"
        return None

    def _int16_problem(self, op: Operator, graph: Graph) -> str | None:
        w, x = graph.tensors[op.inputs[WEIGHTS]], graph.tensors[op.inputs[INPUT]]
        out, bias = graph.tensors[op.outputs[0]], _bias(op, graph)
        problem = int16_tensor_problem(x, "input") or int16_tensor_problem(out, "output")
        if problem:
            return problem
        if w.quant is None or any(z != 0 for z in w.quant.zero_point):
            return "int8 weights without quantization or with a non-zero zero point"
        if bias is not None and bias.dtype not in ("int64", "int16"):
            return f"{bias.dtype} bias (16x8 needs int64 or int16)"
        _, shifts = per_channel_multipliers(x, w, out, int(w.shape[0]))
        problem = shift_problem(shifts)
        if problem:
            return problem
        assert w.data is not None
        taps = np.abs(w.data.astype(np.int64)).reshape(int(w.shape[0]), -1).sum(axis=1)
        worst = int(taps.max(initial=0)) * 32768
        if bias is not None and bias.data is not None:
            worst += int(np.abs(bias.data.astype(np.int64)).max(initial=0))
        if worst >= INT64_ACC_LIMIT:
            return "the int64 sum could pass 2^47 (TFLite's int64 rescaling assumes less)"
        return None

    def _geometry(self, op: Operator, graph: Graph) -> tuple[int, ...]:
        w, x = graph.tensors[op.inputs[WEIGHTS]], graph.tensors[op.inputs[INPUT]]
        out = graph.tensors[op.outputs[0]]
        if len(w.shape) != 4 or len(x.shape) != 4 or len(out.shape) != 4:
            raise self.fail(op, "weights, input and output must be 4-D")
        o = op.options
        sh, sw = int(o.get("stride_h", 1)), int(o.get("stride_w", 1))
        if min(sh, sw) < 1:
            raise self.fail(op, "strides must be >= 1")
        oc, kh, kw, ic = (int(v) for v in w.shape)
        padding = str(o.get("padding", "VALID"))
        pad_h, _ = padding_and_output(out.shape[1], kh, sh, 1, padding, op=op)
        pad_w, _ = padding_and_output(out.shape[2], kw, sw, 1, padding, op=op)
        return (x.shape[0], x.shape[1], x.shape[2], ic, out.shape[1], out.shape[2], oc, kh, kw,
                sh, sw, pad_h, pad_w)

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        w, x = graph.tensors[op.inputs[WEIGHTS]], graph.tensors[op.inputs[INPUT]]
        out = graph.tensors[op.outputs[0]]
        shape = const_ints(graph, op, SHAPE) or []
        if shape != list(out.shape):
            raise self.fail(op, f"output_shape {shape} differs from the output's "
                                f"{list(out.shape)}")
        geometry = self._geometry(op, graph)
        if x.shape[3] != w.shape[3] or out.shape[3] != w.shape[0] or x.shape[0] != out.shape[0]:
            raise self.fail(op, f"input {list(x.shape)}, weights {list(w.shape)} and output "
                                f"{list(out.shape)} do not match")
        bias = _bias(op, graph)
        if bias is not None and bias.num_elements != geometry[6]:
            raise self.fail(op, f"bias has {bias.num_elements} values, expected {geometry[6]}")

    def prepare(self, op: Operator, graph: Graph) -> TransposeConvParams:
        geometry = self._geometry(op, graph)
        w, x = graph.tensors[op.inputs[WEIGHTS]], graph.tensors[op.inputs[INPUT]]
        out, bias = graph.tensors[op.outputs[0]], _bias(op, graph)
        if out.dtype == "float32":
            return TransposeConvParams("float32", geometry, float_activation_range(op))
        assert w.data is not None
        oc = geometry[6]
        if out.dtype == "int16":
            mult, shift = per_channel_multipliers(x, w, out, oc)
            return TransposeConvParams("int16", geometry, activation_range_int16(op, out), mult,
                                       shift)
        check_int8_accumulator(op, w.data.reshape(oc, -1),
                               None if bias is None else bias.data, x.zero_point)
        mult, shift = per_channel_multipliers(x, w, out, oc)
        return TransposeConvParams("int8", geometry, int8_activation_range(op, out), mult, shift,
                                   -x.zero_point, out.zero_point)

    def cost(self, op: Operator, graph: Graph, params: TransposeConvParams) -> Cost:
        g = params.geometry
        weights = graph.tensors[op.inputs[WEIGHTS]].nbytes
        bias = _bias(op, graph)
        return Cost(macs=g[0] * g[1] * g[2] * g[3] * g[6] * g[7] * g[8],
                    weight_bytes=weights + (bias.nbytes if bias is not None else 0),
                    scratch_bytes=self._scratch(op, graph, params))

    def _scratch(self, op: Operator, graph: Graph, params: TransposeConvParams) -> int:
        # = mf_transpose_conv_s16_scratch_bytes (int64 per output value); int8: int32 each
        g = params.c_fields()
        outputs = g["batches"] * g["out_h"] * g["out_w"] * g["out_c"]
        return {"int8": 4, "int16": 8}.get(params.dtype, 0) * outputs

    def memory(self, op: Operator, graph: Graph, params: TransposeConvParams) -> MemoryHints:
        return MemoryHints(scratch_bytes=self._scratch(op, graph, params))

    def emit(self, op: Operator, graph: Graph, params: TransposeConvParams,
             ctx: EmitContext) -> None:
        ctx.use_kernel("mf_requantize64")  # header only, included by transpose_conv.c
        ctx.use_kernel("transpose_conv")
        bias = _bias(op, graph)
        bias_ptr = ctx.ptr(bias.index) if bias is not None else "NULL"
        if bias is not None and bias.dtype == "int16":
            assert bias.data is not None
            bias_ptr = ctx.const(f"op{op.index}_bias64", bias.data.astype(np.int64))
        args = [ctx.ptr(op.inputs[INPUT]), ctx.ptr(op.inputs[WEIGHTS]), bias_ptr,
                ctx.ptr(op.outputs[0])]
        fields = {**named(GEOMETRY_FIELDS, params.geometry),
                  **named("act_min act_max", params.act)}
        if params.dtype == "float32":
            ctx.call(struct_call("transpose_conv_f32", fields, args))
            return
        assert params.multiplier is not None and params.shift is not None
        mult = ctx.const(f"op{op.index}_multiplier", params.multiplier)
        shift = ctx.const(f"op{op.index}_shift", params.shift)
        fields = {**fields, **pick(params, "input_offset output_offset"), "multiplier": mult,
                  "shift": shift}
        if params.dtype == "int16":
            ctx.call(struct_call("transpose_conv_s8", fields,
                                 [*args, f"(int64_t *){ctx.scratch()}"],
                                 function="mf_transpose_conv_s16"))
            return
        ctx.call(struct_call("transpose_conv_s8", fields,
                             [*args, f"(int32_t *){ctx.scratch()}"]))
