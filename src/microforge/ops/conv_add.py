"""MF_CONV_ADD: a float32 CONV_2D whose output only feeds an ADD, fused with it by
`passes.fuse_conv_add` (the shortcut convolution of a residual block): out = act(other +
conv(x)) row by row, in place over `other` when the planner grants it, so the convolution's
output never exists in full. Options keep the original operators ("conv", "add"). Inputs:
conv input, filter, bias, then the ADD's other operand; output: the ADD output.
Bit-identical with the two ops (same taps' order; a + b is the same float as b + a).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import float_activation_range, static_params
from microforge.ops.base import EmitContext, MemoryHints, register
from microforge.ops.conv2d import bias_tensor, blocked_filter
from microforge.ops.fused_common import FusedOpDef, fused_parts

OP_TYPE = "MF_CONV_ADD"
OTHER_INPUT = 3  # position of the ADD's other operand among the fused op's inputs


@dataclass(frozen=True)
class ConvAddParams:
    conv: Any  # ops.conv2d.Conv2DParams
    add: Any  # ops.add.AddSubParams

    @property
    def scratch_bytes(self) -> int:
        return 4 * self.conv.out_w * self.conv.out_c


PART_NAMES = ("conv", "add")


def parts(op: Operator) -> tuple[Operator, Operator]:
    return fused_parts(op, PART_NAMES)


@register
class ConvAdd(FusedOpDef):
    op_type = OP_TYPE
    dtypes = ("float32",)
    fuses = ("CONV_2D", "ADD")
    part_names = PART_NAMES
    params_type = ConvAddParams

    def memory(self, op: Operator, graph: Graph, params: ConvAddParams) -> MemoryHints:
        return MemoryHints(inplace_input=OTHER_INPUT, scratch_bytes=params.scratch_bytes,
                           scratch_always=True)

    def emit(self, op: Operator, graph: Graph, params: ConvAddParams, ctx: EmitContext) -> None:
        conv_op, add_op = parts(op)
        lo, hi = float_activation_range(conv_op)
        add_lo, add_hi = float_activation_range(add_op)
        w = graph.tensors[conv_op.inputs[1]]
        assert w.data is not None
        bias = bias_tensor(conv_op, graph)
        args = [add_lo, add_hi, ctx.ptr(conv_op.inputs[0]),
                ctx.const(f"op{op.index}_filter_blocked", blocked_filter(w.data)),
                ctx.ptr(bias.index) if bias is not None else "NULL",
                ctx.ptr(op.inputs[OTHER_INPUT]), ctx.ptr(op.outputs[0]),
                f"(float *){ctx.scratch()}"]
        for kernel in ("conv2d_f32", "conv2d_f32_blocked", "residual_block_f32"):
            ctx.use_kernel(kernel)
        geometry = {**params.conv.geometry(), "act_min": lo, "act_max": hi}
        ctx.call("{ " + static_params("conv", "mf_conv2d_f32_params", geometry)
                 + f"mf_conv_add_f32(&conv, {', '.join(args)}); }}")
