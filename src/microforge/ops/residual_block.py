"""MF_RESIDUAL_BLOCK: CONV_2D -> CONV_2D -> ADD(block input, ...) in float32, fused by
`passes.fuse_residual_block` and streamed row by row (runtime/kernels/residual_block_f32.c).

Only a band of first-conv rows and one second-conv row exist at a time, and the sum replaces
the block input in place: the block needs the input tensor plus a few rows instead of three
full tensors. The options keep the three original operators ("conv1", "conv2", "add"); their
own op modules check and prepare them. Inputs: block input, conv1 filter and bias, conv2 filter
and bias; output: the ADD output. Bit-identical with the three ops (each output keeps its
taps' order; a + b is the same float as b + a).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import float_activation_range, static_params
from microforge.ops.base import EmitContext, MemoryHints, register
from microforge.ops.conv2d import bias_tensor, blocked_filter
from microforge.ops.fused_common import FusedOpDef, fused_parts

OP_TYPE = "MF_RESIDUAL_BLOCK"


@dataclass(frozen=True)
class ResidualBlockParams:
    conv1: Any  # ops.conv2d.Conv2DParams
    conv2: Any
    add: Any  # ops.add.AddSubParams

    @property
    def band_rows(self) -> int:  # mf_residual_block_f32_band_rows
        return min(max(self.conv2.filter_h, self.conv1.pad_h + self.conv2.pad_h + 1),
                   self.conv1.out_h)

    @property
    def scratch_bytes(self) -> int:
        c1, c2 = self.conv1, self.conv2
        return 4 * (self.band_rows * c1.out_w * c1.out_c + c2.out_w * c2.out_c)


PART_NAMES = ("conv1", "conv2", "add")


def parts(op: Operator) -> tuple[Operator, Operator, Operator]:
    return fused_parts(op, PART_NAMES)


@register
class ResidualBlock(FusedOpDef):
    op_type = OP_TYPE
    dtypes = ("float32",)
    fuses = ("CONV_2D", "CONV_2D", "ADD")
    part_names = PART_NAMES
    params_type = ResidualBlockParams

    def memory(self, op: Operator, graph: Graph, params: ResidualBlockParams) -> MemoryHints:
        return MemoryHints(inplace_input=0, scratch_bytes=params.scratch_bytes, scratch_always=True)

    def emit(self, op: Operator, graph: Graph, params: ResidualBlockParams,
             ctx: EmitContext) -> None:
        c1_op, c2_op, add_op = parts(op)
        statics = ""
        for name, conv_op, p in (("c1", c1_op, params.conv1), ("c2", c2_op, params.conv2)):
            lo, hi = float_activation_range(conv_op)
            statics += static_params(name, "mf_conv2d_f32_params",
                                     {**p.geometry(), "act_min": lo, "act_max": hi})
        add_lo, add_hi = float_activation_range(add_op)
        args = [add_lo, add_hi, ctx.ptr(op.inputs[0])]
        for conv_op in (c1_op, c2_op):
            w = graph.tensors[conv_op.inputs[1]]
            assert w.data is not None
            args.append(ctx.const(f"op{op.index}_filter_blocked", blocked_filter(w.data)))
            bias = bias_tensor(conv_op, graph)
            args.append(ctx.ptr(bias.index) if bias is not None else "NULL")
        args += [ctx.ptr(op.outputs[0]), f"(float *){ctx.scratch()}"]
        for kernel in ("conv2d_f32", "conv2d_f32_blocked", "residual_block_f32"):
            ctx.use_kernel(kernel)
        ctx.call("{ " + statics + f"mf_residual_block_f32(&c1, &c2, {', '.join(args)}); }}")
