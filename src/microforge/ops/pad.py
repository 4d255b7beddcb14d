"""PAD and PADV2 (up to 5-D, float32/int8/int16/int32, TFLM's set): fill with the pad value,
then one strided copy.

The pad value is decided at compile time as TFLM does: PAD pads int8 with the output zero point,
int16 and int32 with 0 (TFLM's pad.cc: 0 whatever the int16 zero point) and float with 0.0; PADV2 pads with its constant value tensor (for int8 that tensor must share
the output's scale and zero point, as TFLM's Prepare requires, so its raw value is used; int16
and int32 take the raw value, TFLM checks nothing more).
The copy writes the input at offset sum(left_k * out_stride_k) with the output's strides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microforge.c_literals import c_float
from microforge.ir.graph import Graph, Operator
from microforge.ops.base import EmitContext, OpDef, register
from microforge.ops.layout_common import (
    CopyCall,
    CopyPlan,
    const_ints,
    emit_copy,
    row_major_strides,
    same_dtype_reason,
)

MAX_RANK = 5  # TFLite's PadKernelMaxDimensionCount
_FILL = {"float32": "f32", "int8": "s8", "int16": "s16", "int32": "s32"}  # mf_fill_<suffix>


@dataclass(frozen=True)
class PadParams:
    dtype: str
    before: tuple[int, ...]
    after: tuple[int, ...]
    value: float | int  # raw pad value in the output's dtype
    fill_count: int  # output elements (0 when there is no padding at all)
    copy: CopyCall


@register
class Pad(OpDef):
    op_type = "PAD"
    dtypes = tuple(_FILL)

    def unsupported_reason(self, op: Operator, graph: Graph) -> str | None:
        expected_inputs = 3 if self.op_type == "PADV2" else 2
        if len(op.inputs) != expected_inputs or len(op.outputs) != 1:
            return f"needs {expected_inputs} inputs"
        if const_ints(graph, op, 1) is None:
            return "paddings are not a constant int32 tensor"
        if len(graph.tensors[op.inputs[0]].shape) > MAX_RANK:
            return f"input of more than {MAX_RANK} dimensions"
        if any(p < 0 for p in const_ints(graph, op, 1) or []):
            return "negative paddings"
        reason = same_dtype_reason(op, graph, allowed=self.dtypes)
        out = graph.tensors[op.outputs[0]]
        if reason is None and out.dtype == "int8" and out.quant is not None \
                and out.quant.per_channel:
            return "per-channel quantized output"
        if reason is None and self.op_type == "PADV2":
            reason = self._value_reason(op, graph)
        return reason

    def _value_reason(self, op: Operator, graph: Graph) -> str | None:
        value, out = graph.tensors[op.inputs[2]], graph.tensors[op.outputs[0]]
        if value.data is None or value.num_elements != 1:
            return "the pad value is not a constant scalar"
        if value.dtype != out.dtype:
            return f"pad value is {value.dtype}, the output {out.dtype}"
        if not np.isfinite(value.data.astype(np.float64)).all():
            return "non-finite pad value"
        if out.dtype == "int8" and out.quant is not None and (
                value.quant is None or value.scale != out.scale
                or value.zero_point != out.zero_point):
            return "the int8 pad value is quantized differently from the output (TFLM rejects it)"
        return None

    def _paddings(self, op: Operator, graph: Graph) -> tuple[list[int], list[int]]:
        rank = len(graph.tensors[op.inputs[0]].shape)
        flat = const_ints(graph, op, 1) or []
        if len(flat) != 2 * rank:
            raise self.fail(op, f"paddings have {len(flat)} values, expected {rank} x 2")
        return flat[0::2], flat[1::2]

    def check_shapes(self, op: Operator, graph: Graph) -> None:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        before, after = self._paddings(op, graph)
        expected = [d + b + a for d, b, a in zip(x.shape, before, after, strict=True)]
        if list(out.shape) != expected:
            raise self.fail(op, f"output shape {list(out.shape)} should be {expected}")

    def prepare(self, op: Operator, graph: Graph) -> PadParams:
        x, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        before, after = self._paddings(op, graph)
        value: float | int
        if self.op_type == "PADV2":
            data = graph.tensors[op.inputs[2]].data
            assert data is not None
            value = data.reshape(-1)[0].item()
        else:
            has_zero_point = out.dtype == "int8" and out.quant is not None
            value = out.zero_point if has_zero_point else (0.0 if out.dtype == "float32" else 0)
        out_strides = row_major_strides(out.shape)
        plan = CopyPlan(tuple(x.shape), row_major_strides(x.shape), out_strides, 0,
                        sum(b * s for b, s in zip(before, out_strides, strict=True)))
        padded = any(before) or any(after)
        return PadParams(out.dtype, tuple(before), tuple(after), value,
                         out.num_elements if padded else 0,
                         CopyCall.from_plan(plan, out.itemsize))

    def emit(self, op: Operator, graph: Graph, params: PadParams, ctx: EmitContext) -> None:
        dst = ctx.ptr(op.outputs[0])
        if params.fill_count:
            ctx.use_kernel("fill")
            if params.dtype == "float32":
                literal = c_float(params.value)
            elif params.dtype == "int32" and int(params.value) == -2**31:
                literal = "INT32_MIN"  # -2147483648 is not a C int literal
            else:
                literal = str(int(params.value))
            ctx.call(f"mf_fill_{_FILL[params.dtype]}({dst}, {params.fill_count}, {literal});")
        emit_copy(ctx, params.copy, ctx.ptr(op.inputs[0]), dst)


@register
class PadV2(Pad):
    op_type = "PADV2"
    dtypes = tuple(_FILL)
