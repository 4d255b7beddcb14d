"""MF_DEPTHWISE_FC: DEPTHWISE_CONV_2D followed by the FULLY_CONNECTED that reads its whole
output, fused by `passes.fuse_depthwise_fc` (int8 only, bit-exact with the two ops).

The operator keeps the two original operators in its options ("depthwise", "fully_connected");
their own op modules check and prepare them. Inputs: the depthwise input, filter and bias, then
the fully connected weights and bias; output: the fully connected output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microforge.ir.graph import Graph, Operator
from microforge.ops._support import pick, static_params
from microforge.ops.base import EmitContext, MemoryHints, register
from microforge.ops.conv2d import bias_tensor
from microforge.ops.fused_common import FusedOpDef, fused_parts

OP_TYPE = "MF_DEPTHWISE_FC"


@dataclass(frozen=True)
class DepthwiseFCParams:
    depthwise: Any  # ops.depthwise_conv2d.DepthwiseParams
    fully_connected: Any  # ops.fully_connected.FullyConnectedParams

    @property
    def row_bytes(self) -> int:
        dw = self.depthwise
        return dw.out_w * dw.in_c * dw.depth_multiplier

    @property
    def scratch_bytes(self) -> int:
        return 4 * self.fully_connected.out_depth + self.row_bytes


PART_NAMES = ("depthwise", "fully_connected")


def parts(op: Operator) -> tuple[Operator, Operator]:
    """The fused depthwise and fully connected operators."""
    return fused_parts(op, PART_NAMES)


@register
class DepthwiseFC(FusedOpDef):
    op_type = OP_TYPE
    dtypes = ("int8",)
    fuses = ("DEPTHWISE_CONV_2D", "FULLY_CONNECTED")
    part_names = PART_NAMES
    params_type = DepthwiseFCParams

    def memory(self, op: Operator, graph: Graph, params: DepthwiseFCParams) -> MemoryHints:
        return MemoryHints(scratch_bytes=params.scratch_bytes)

    def emit(self, op: Operator, graph: Graph, params: DepthwiseFCParams,
             ctx: EmitContext) -> None:
        dw_op, fc_op = parts(op)
        dw, fc = params.depthwise, params.fully_connected
        dw_fields = {**dw.geometry(), **pick(dw, "input_offset output_offset act_min act_max"),
                     "multiplier": ctx.const(f"op{op.index}_dw_multiplier", dw.multiplier),
                     "shift": ctx.const(f"op{op.index}_dw_shift", dw.shift)}
        fc_fields = {**pick(fc, "batches in_depth out_depth filter_offset output_offset "
                                "act_min act_max"),
                     "per_channel": int(fc.per_channel),
                     "multiplier": ctx.const(f"op{op.index}_fc_multiplier", fc.multiplier),
                     "shift": ctx.const(f"op{op.index}_fc_shift", fc.shift)}
        dw_bias = bias_tensor(dw_op, graph)
        args = [ctx.ptr(dw_op.inputs[0]), ctx.ptr(dw_op.inputs[1]),
                ctx.ptr(dw_bias.index) if dw_bias is not None else "NULL",
                ctx.ptr(fc_op.inputs[1]), ctx.const(f"op{op.index}_fc_bias", fc.bias_folded),
                ctx.ptr(fc_op.outputs[0]), ctx.scratch()]
        for kernel in ("mf_requantize", "mf_simd32", "depthwise_conv2d_s8", "fully_connected_s8",
                       "depthwise_fc_s8"):
            ctx.use_kernel(kernel)
        ctx.call("{ " + static_params("dw", "mf_depthwise_conv2d_s8_params", dw_fields)
                 + static_params("fc", "mf_fully_connected_s8_params", fc_fields)
                 + f"mf_depthwise_fc_s8(&dw, &fc, {', '.join(args)}); }}")
